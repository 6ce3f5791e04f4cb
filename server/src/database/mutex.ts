/**
 * A FIFO async mutex. TypeORM shares one connection for SQLite, so two async transactions would
 * interleave their statements on it (typeorm #1884, #3919, #8668); every SQLite write transaction
 * runs inside this lock.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /**
   * Runs `work` when every earlier caller is done. With a deadline (epoch ms), a caller still queued
   * then asks `giveUp()`: an error to throw ends its wait (so queued writes each end at their own
   * deadline rather than one after another), null waits on and asks again every 100 ms (the queue is
   * moving). The order of the others is kept.
   */
  async run<T>(work: () => Promise<T>, deadline?: number, giveUp?: () => unknown): Promise<T> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.waiting++;
    let handedOver = false;
    try {
      if (deadline === undefined) await previous;
      else {
        let ready = false;
        void previous.then(() => (ready = true));
        for (let wait = Math.max(0, deadline - Date.now()); ; wait = 100) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([previous, new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)))]);
          clearTimeout(timer);
          if (ready) break;
          const error = giveUp ? giveUp() : new Error('timed out waiting for the lock');
          if (error) {
            // Our place in the queue passes to the next caller once the current holder is done.
            handedOver = true;
            void previous.then(release);
            throw error;
          }
        }
      }
      return await work();
    } finally {
      this.waiting--;
      if (!handedOver) release();
    }
  }

  /** Callers running or waiting. */
  get queued(): number {
    return this.waiting;
  }
}
