/**
 * A FIFO async mutex. TypeORM shares one connection for SQLite, so two async transactions would
 * interleave their statements on it (typeorm #1884, #3919, #8668); every SQLite write transaction
 * runs inside this lock.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  async run<T>(work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.waiting++;
    try {
      await previous;
      return await work();
    } finally {
      this.waiting--;
      release();
    }
  }

  get queued(): number {
    return this.waiting;
  }
}
