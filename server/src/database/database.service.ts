/**
 * The one way to touch the database. `read()` for queries; `withWriteTransaction()` for every state
 * change: it serializes writers, runs the work, appends the work's audit entries to the hash chain
 * inside the same transaction, and commits — or rolls everything back.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import type { Actor } from '../common/viewer.js';
import { AuditWriter, type AuditInput } from '../modules/audit/audit-writer.js';
import { Mutex } from './mutex.js';
import { closeDatabase, type OpenedDatabase } from './data-sources.js';
import { driverCode, Sql, type Dialect } from './sql.js';

/** The handle a write transaction's work receives. */
export class WriteTx {
  readonly entries: AuditInput[] = [];
  readonly afterCommit: Array<() => void | Promise<void>> = [];
  sealCheckpoint = false;

  constructor(readonly sql: Sql, readonly actor: Actor, readonly now: string) {}

  /** Records what this transaction does; written to the chain before commit. */
  audit(entry: AuditInput): void {
    this.entries.push(entry);
  }

  /** Seals a signed checkpoint over the head this transaction leaves (on-demand checkpoints). */
  requestCheckpoint(): void {
    this.sealCheckpoint = true;
  }

  /** Runs after a successful commit (mail, checkpoint file); never inside the transaction. */
  onCommit(fn: () => void | Promise<void>): void {
    this.afterCommit.push(fn);
  }
}

export interface WriteOptions {
  /** A technical write with no audit entry (session heartbeat); the reason is required. */
  unaudited?: string;
}

const RETRYABLE_PG = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly sqliteWriteLock = new Mutex();

  constructor(
    private readonly db: OpenedDatabase,
    readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly auditWriter: AuditWriter,
  ) {}

  get dialect(): Dialect {
    return this.config.database.dialect;
  }

  /** Runs queries outside any write transaction (SQLite: on the read-only connection). */
  async read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const runner = this.db.reader.createQueryRunner();
    try {
      return await work(new Sql(runner, this.dialect));
    } finally {
      await runner.release();
    }
  }

  /** The only write path. */
  async withWriteTransaction<T>(actor: Actor, work: (tx: WriteTx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (this.dialect === 'sqlite') return this.sqliteWriteLock.run(() => this.attempt(actor, work, options));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(actor, work, options);
      } catch (err) {
        const code = driverCode(err);
        if (!code || !RETRYABLE_PG.has(code) || attempt >= MAX_ATTEMPTS) throw err;
        this.logger.warn(`retrying a write after ${code} (attempt ${attempt})`);
        await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 20)));
      }
    }
  }

  private async attempt<T>(actor: Actor, work: (tx: WriteTx) => Promise<T>, options: WriteOptions): Promise<T> {
    const runner = this.db.writer.createQueryRunner();
    const sql = new Sql(runner, this.dialect);
    const tx = new WriteTx(sql, actor, this.clock.iso());
    let open = false;
    try {
      await runner.startTransaction();
      open = true;
      const head = await this.lockChainHead(sql);
      const result = await work(tx);
      if (tx.entries.length === 0 && !options.unaudited) throw new Error('a write transaction must record at least one audit entry');
      const checkpoint = await this.auditWriter.append(sql, head, tx.actor, tx.now, tx.entries, tx.sealCheckpoint);
      await runner.commitTransaction();
      open = false;
      if (checkpoint) tx.onCommit(() => this.auditWriter.recordCheckpointFile(checkpoint));
      for (const fn of tx.afterCommit) {
        Promise.resolve()
          .then(fn)
          .catch((e) => this.logger.error(`after-commit task failed: ${(e as Error).message}`));
      }
      return result;
    } catch (err) {
      if (open) await runner.rollbackTransaction().catch(() => undefined);
      throw translateLockError(err);
    } finally {
      await runner.release();
    }
  }

  /**
   * Takes the write lock when the transaction begins. SQLite: the first statement is a write, so the
   * RESERVED lock is taken at once and the busy timeout applies (a deferred BEGIN that reads first and
   * writes later would fail with SQLITE_BUSY against another process). PostgreSQL: a row lock on the
   * chain head, which every writer needs anyway.
   */
  private async lockChainHead(sql: Sql): Promise<{ seq: number; hash: string }> {
    if (this.dialect === 'sqlite') await sql.exec('UPDATE audit_head SET seq = seq WHERE id = 1');
    const row = await sql.one<Record<string, unknown>>(`SELECT seq, hash FROM audit_head WHERE id = 1${this.dialect === 'postgres' ? ' FOR UPDATE' : ''}`);
    if (!row) throw new Error('audit_head row is missing');
    return { seq: Number(row.seq), hash: String(row.hash) };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeDatabase(this.db);
  }
}

function translateLockError(err: unknown): unknown {
  const code = driverCode(err);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === '55P03') {
    return new DomainError('BUSY', 'The database is busy with another writer; retry in a moment.', undefined, { 'Retry-After': '1' });
  }
  return err;
}
