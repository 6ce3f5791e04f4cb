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
   * at that moment gives up with `onTimeout()` instead of waiting on: queued writes each end at their
   * own deadline rather than one after another. The order of the others is kept.
   */
  async run<T>(work: () => Promise<T>, deadline?: number, onTimeout?: () => unknown): Promise<T> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    this.waiting++;
    let handedOver = false;
    try {
      if (deadline === undefined) await previous;
      else {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          previous.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, deadline - Date.now())))),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          // Our place in the queue passes to the next caller once the current holder is done.
          handedOver = true;
          void previous.then(release);
          throw onTimeout ? onTimeout() : new Error('timed out waiting for the lock');
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
