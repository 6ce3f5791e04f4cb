/**
 * The e-mail outbox. Messages are queued inside the write transaction of the event they report
 * (so a committed event always has its message, and a rolled-back one never does), then sent after
 * commit and by a polling loop with exponential backoff. SMTP being down never blocks a request and
 * never loses a message: it stays `pending` until a send succeeds. Several server instances on one
 * PostgreSQL share the table; an atomic claim (UPDATE … WHERE status = 'pending') lets exactly one
 * of them send each message.
 */
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import nodemailer, { type Transporter } from 'nodemailer';
import { Clock } from '../../common/clock.js';
import { PeriodicTask } from '../../common/periodic-task.js';
import { SYSTEM_ACTOR } from '../../common/viewer.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { OutboxRepository, type OutboxRecord } from './notifications.repository.js';

/** A message claimed by an instance that never reported back is retried after this long. */
const STALE_CLAIM_MS = 5 * 60_000;
const BATCH = 20;

export interface OutgoingMail {
  notificationId: string | null;
  to: string;
  subject: string;
  text: string;
}

/** The delay before retry `attempts` (1, 2, …): base, 2·base, 4·base … capped at max. */
function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

@Injectable()
export class MailOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailOutbox');
  private readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private transporter: Transporter | null = null;
  private readonly task = new PeriodicTask('outbox drain', () => this.drain(), this.logger, { rerunWhenKicked: true });

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** Whether e-mail is configured at all (SMTP_URL); without it the console inbox is the only channel. */
  get enabled(): boolean {
    return this.db.config.smtpUrl !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    // Short timeouts: a dead SMTP server must not hold a drain for minutes.
    this.transporter = nodemailer.createTransport(
      { url: this.db.config.smtpUrl!, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10000 },
      { from: this.db.config.mailFrom },
    );
    this.task.start(this.db.config.mailRetry.pollMs); // the first drain sends messages left over from a previous run
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    this.transporter?.close();
  }

  /** Queues a message inside the caller's transaction and asks for a send right after commit. */
  async queue(tx: WriteTx, mail: OutgoingMail): Promise<void> {
    if (!this.enabled) return;
    await OutboxRepository.insert(
      tx.sql,
      {
        id: randomUUID(),
        notificationId: mail.notificationId,
        toAddress: mail.to,
        subject: mail.subject,
        body: mail.text,
      },
      tx.now,
    );
    tx.onCommit(() => this.kick());
  }

  /** Starts a drain unless one is running (then it runs once more when that one ends). */
  kick(): void {
    if (this.transporter) this.task.kick();
  }

  /** Sends every due message once; failures are rescheduled with backoff. Resolves when done. */
  async drain(): Promise<void> {
    const now = this.clock.iso();
    const staleBefore = new Date(this.clock.now().getTime() - STALE_CLAIM_MS).toISOString();
    const due = await this.db.read((sql) => OutboxRepository.due(sql, now, staleBefore, BATCH));
    for (const message of due) {
      if (this.task.isStopped) return;
      const claimed = await this.db.instanceWrite(
        SYSTEM_ACTOR,
        (tx) => OutboxRepository.claim(tx.sql, message.id, this.instance, tx.now, staleBefore),
        {
          unaudited: 'e-mail outbox delivery state',
        },
      );
      if (claimed) await this.send(message);
    }
  }

  private async send(message: OutboxRecord): Promise<void> {
    try {
      await this.transporter!.sendMail({
        to: message.toAddress,
        subject: message.subject,
        text: message.body,
        messageId: `<${message.id}@blindrand>`,
      });
      await this.db.instanceWrite(
        SYSTEM_ACTOR,
        (tx) => OutboxRepository.markSent(tx.sql, message.id, this.instance, tx.now),
        { unaudited: 'e-mail outbox delivery state' },
      );
    } catch (err) {
      const attempts = message.attempts + 1;
      const { baseMs, maxMs } = this.db.config.mailRetry;
      const retryAt = new Date(this.clock.now().getTime() + retryDelayMs(attempts, baseMs, maxMs)).toISOString();
      this.logger.warn(
        `e-mail ${message.id} not sent (attempt ${attempts}), retry at ${retryAt}: ${(err as Error).message}`,
      );
      await this.db.instanceWrite(
        SYSTEM_ACTOR,
        (tx) => OutboxRepository.markFailed(tx.sql, message.id, this.instance, (err as Error).message, retryAt),
        {
          unaudited: 'e-mail outbox delivery state',
        },
      );
    }
  }
}
