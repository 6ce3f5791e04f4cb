/**
 * A check the server runs every few seconds (escalation of unblinding requests, access-review
 * reminders, the e-mail outbox). The services keep no per-item timers: each run asks the database
 * what is due, so this only has to call the run once at start (what fell due while no server ran),
 * then on an unref'd interval, never two runs at once, a failing run logged and retried at the next
 * tick, and shutdown waiting for the run in progress.
 */
import type { Logger } from '@nestjs/common';

export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private stopped = false;

  /**
   * `what` names the task in the warning a failed run logs ("<what> failed: <message>").
   * `rerunWhenKicked`: a kick during a run starts one more run right after it (the outbox: a message
   * queued while a drain runs may have been read too late by it); else such a kick is skipped.
   */
  constructor(
    private readonly what: string,
    private readonly run: () => Promise<unknown>,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly options: { rerunWhenKicked?: boolean } = {},
  ) {}

  /** Whether shutdown began: a long run checks it between items. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs now, then every `everyMs`; the timer does not keep the process alive. */
  start(everyMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => this.kick(), everyMs);
    this.timer.unref();
    this.kick();
  }

  /** Starts a run unless one is in progress (then skipped: the next tick comes soon; or see rerunWhenKicked). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      if (this.options.rerunWhenKicked) this.again = true;
      return;
    }
    this.running = this.run()
      .catch((e) => this.logger.warn(`${this.what} failed: ${(e as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops the timer and waits for the run in progress (its failure was already logged). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
