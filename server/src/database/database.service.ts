/**
 * The one way to touch the database. `read()` for queries; `withWriteTransaction()` for every state
 * change: it serializes writers, runs the work, appends the work's audit entries to the hash chain
 * inside the same transaction, and commits — or rolls everything back.
 *
 * Failure rules (docs/RELIABILITY.md): an outage is a 503 with Retry-After (faults.ts); a write is
 * acknowledged only after its COMMIT returned; after any failed attempt on SQLite the connection's
 * real transaction state is checked and, if SQLite and TypeORM disagree or a transaction is still
 * open, the connection is reopened — otherwise later writes would become savepoints inside a
 * transaction that is never committed (acknowledged, never on disk).
 */
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../common/clock.js';
import { SYSTEM_ACTOR, type Actor } from '../common/viewer.js';
import { AuditWriter, type AuditInput } from './audit/audit-writer.js';
import { Mutex } from './mutex.js';
import { chainGenesis } from './audit/audit-chain.js';
import { FIRST_STUDY_ID, INSTANCE_CHAIN, type ChainId } from './study-scope.js';
import { privateReaderOptions, rawSqliteHandle } from './data-sources.js';
import { READER } from './database.module.js';
import { Driver, openDriver } from './driver.js';
import { faultError, faultKind, translateFault, type FaultKind } from './faults.js';
import { driverCode, Sql, type Dialect } from './sql.js';
import type { CheckpointView } from '../../../shared/contract.js';

/** The handle a write transaction's work receives. */
export class WriteTx {
  /** The entries for `chain`. */
  readonly entries: AuditInput[] = [];
  /** A study write holding the instance head too (`instance: 'also'`): the entries for chain 0. */
  readonly instanceEntries: AuditInput[] = [];
  readonly afterCommit: Array<() => void | Promise<void>> = [];
  sealCheckpoint = false;

  constructor(
    readonly sql: Sql,
    readonly actor: Actor,
    readonly now: string,
    /** The study whose rows this transaction writes; null for an instance write (its rows have no study_id). */
    private readonly study: number | null,
    /** The chain `audit()` appends to: the study's, or INSTANCE_CHAIN for an instance write. */
    readonly chain: ChainId,
    /** Whether the instance head is held as well (a study write with `instance: 'also'`). */
    private readonly holdsInstance = false,
  ) {}

  /** The study this transaction writes for: its rows carry this study_id. Refused in an instance write. */
  get studyId(): number {
    if (this.study === null)
      throw new Error('an instance write has no study: its rows carry no study_id (WriteOptions.instance)');
    return this.study;
  }

  /** Records what this transaction does; written to its chain before commit. */
  audit(entry: AuditInput): void {
    this.entries.push(entry);
  }

  /** Records an entry in the instance chain (an instance write, or a study write with `instance: 'also'`). */
  auditInstance(entry: AuditInput): void {
    if (this.chain === INSTANCE_CHAIN) this.entries.push(entry);
    else if (this.holdsInstance) this.instanceEntries.push(entry);
    else throw new Error("this write does not hold the instance chain: pass { instance: 'also' }");
  }

  /** Seals a signed checkpoint over the head this transaction leaves on each chain it wrote (on demand). */
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
  /** SQLite: the longest this write waits for the lock (default SQLITE_BUSY_TIMEOUT_MS); then 503 BUSY. */
  waitMs?: number;
  /**
   * The study written for (its rows' study_id; its chain takes the entries). Default: the actor's, else
   * the first study. With `instance: 'only'`: the study whose rows the instance write also touches (the
   * v1 account API mirrors into the first study's roles and inboxes); the entries still go to chain 0.
   */
  studyId?: number;
  /**
   * Creating study `studyId` (POST /api/studies): its row does not exist yet when the transaction opens, so its
   * chain starts from this code (chainGenesis); the work must insert the study with this very id and code.
   */
  newStudyCode?: string;
  /**
   * The instance chain (docs/MULTI-STUDY.md decision 4). 'only': an instance write (accounts, sign-in,
   * sites...): its entries go to chain 0 and tx.studyId is refused unless `studyId` is given. 'also': a
   * study write that holds the instance head too (locked first, then the study's: always that order, so
   * two such writers never deadlock); tx.auditInstance() appends there.
   */
  instance?: 'only' | 'also';
}

const RETRYABLE_PG = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;
/** Async backoff between tries for another process's SQLite lock: 5, 10, 20, 40, then 50 ms. */
const busyBackoffMs = (attempt: number) => Math.min(50, 5 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 5);

/** What health reports about the writer. */
export type WriterState = 'ok' | FaultKind;

@Injectable()
export class DatabaseService {
  private readonly logger = new Logger('Database');
  private readonly sqliteWriteLock = new Mutex();
  /** The last outage a write or probe met, cleared by the next success (health reports it). */
  private lastFault: FaultKind | null = null;
  /** Set when the SQLite writer could not be reopened: writes are refused until a reopen works. */
  private writerClosed = false;
  /** Since when the SQLite writer holding our queue has been waiting for another process's lock. */
  private foreignLockSince: number | null = null;

  /** SQLite: the read-only connection; PostgreSQL: the one pool (there is no READER data source). */
  private readonly reader: Driver;

  constructor(
    @InjectDataSource() private readonly writer: DataSource,
    @Optional() @InjectDataSource(READER) reader: DataSource | undefined,
    @Inject(APP_CONFIG) readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly auditWriter: AuditWriter,
  ) {
    this.reader = new Driver(reader ?? writer);
  }

  get dialect(): Dialect {
    return this.config.database.dialect;
  }

  private get busyTimeoutMs(): number {
    return this.config.database.dialect === 'sqlite' ? this.config.database.busyTimeoutMs : 0;
  }

  /** Runs queries outside any write transaction (SQLite: on the read-only connection). */
  async read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    // A WAL reader is blocked only briefly (another connection recovering the WAL): short async retries.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.reader.run(work);
      } catch (err) {
        if (this.dialect !== 'sqlite' || faultKind(err) !== 'busy' || attempt >= 10) throw translateFault(err);
        await sleep(busyBackoffMs(attempt));
      }
    }
  }

  /**
   * Runs `work` in one read-only transaction (a consistent snapshot). SQLite: on a private read-only
   * connection (the shared reader connection interleaves other requests' statements, which must not
   * land inside this transaction); PostgreSQL: a pooled connection in REPEATABLE READ READ ONLY.
   */
  async snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const database = this.config.database;
    if (database.dialect === 'postgres')
      return this.reader.snapshot(work).catch((err) => Promise.reject(translateFault(err)));
    const driver = await openDriver(privateReaderOptions(database.path, 1000)).catch((err) =>
      Promise.reject(translateFault(err)),
    );
    try {
      return await driver.snapshot(work);
    } finally {
      await driver.close();
    }
  }

  /** An instance write (chain 0; its rows have no study): sign-in, sites, second factor, identity provider... */
  instanceWrite<T>(actor: Actor, work: (tx: WriteTx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.withWriteTransaction(actor, work, { ...options, instance: 'only' });
  }

  /**
   * A write of the v1 account API (POST/PATCH /api/users, role grants without a study, an account made at
   * the identity provider's first sign-in): its entries go to chain 0; the rows it mirrors (the first
   * study's study_roles row, the inbox notices of a grant) are the first study's.
   */
  accountWrite<T>(actor: Actor, work: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.withWriteTransaction(actor, work, { instance: 'only', studyId: FIRST_STUDY_ID });
  }

  /** The only write path. */
  async withWriteTransaction<T>(
    actor: Actor,
    work: (tx: WriteTx) => Promise<T>,
    options: WriteOptions = {},
  ): Promise<T> {
    if (this.dialect === 'sqlite') {
      // The wait for the lock — queued behind this process's writers or another process's — is
      // bounded by SQLITE_BUSY_TIMEOUT_MS from the moment the request arrived.
      const deadline = Date.now() + (options.waitMs ?? this.busyTimeoutMs);
      // Waiting behind this process's own writers is progress; give up only while the one holding the
      // queue is itself waiting for another process's lock.
      return this.sqliteWriteLock.run(
        () => this.attempt(actor, work, options, deadline),
        deadline,
        () => (this.foreignLockSince !== null ? faultError('busy') : null),
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(actor, work, options, 0);
      } catch (err) {
        const code = driverCode(err);
        if (!code || !RETRYABLE_PG.has(code) || attempt >= MAX_ATTEMPTS) throw translateFault(err);
        this.logger.warn(`retrying a write after ${code} (attempt ${attempt})`);
        await sleep(10 * attempt + Math.floor(Math.random() * 20));
      }
    }
  }

  private async attempt<T>(
    actor: Actor,
    work: (tx: WriteTx) => Promise<T>,
    options: WriteOptions,
    deadline: number,
  ): Promise<T> {
    if (this.writerClosed) await this.reopenSqliteWriter();
    if (this.writerClosed) throw faultError(this.lastFault ?? 'unavailable');
    const runner = this.writer.createQueryRunner();
    const sql = new Sql(runner, this.dialect);
    const onlyInstance = options.instance === 'only';
    const study = onlyInstance ? (options.studyId ?? null) : (options.studyId ?? actor.studyId ?? FIRST_STUDY_ID);
    const chain = onlyInstance || study === null ? INSTANCE_CHAIN : study;
    // The instance head first, then the study's (decision 4).
    const chains = options.instance === 'also' && chain !== INSTANCE_CHAIN ? [INSTANCE_CHAIN, chain] : [chain];
    try {
      const heads = await this.begin(runner, sql, chains, deadline, options.newStudyCode);
      // The time is read once the heads are held, so each chain's entries are in time order on PostgreSQL too
      // (the access review lists the changes after a review by time across two chains).
      const tx = new WriteTx(sql, actor, this.clock.iso(), study, chain, chains.length > 1);
      const result = await work(tx);
      if (tx.entries.length + tx.instanceEntries.length === 0 && !options.unaudited)
        throw new Error('a write transaction must record at least one audit entry');
      const sealed: Array<{ chain: ChainId; checkpoints: CheckpointView[] }> = [];
      for (const [i, c] of chains.entries()) {
        const entries = c === chain ? tx.entries : tx.instanceEntries;
        // A checkpoint asked for seals the transaction's own chain and any other chain it wrote to.
        const seal = tx.sealCheckpoint && (i === chains.length - 1 || entries.length > 0);
        const checkpoints = await this.auditWriter.append(sql, c, heads[i], tx.actor, tx.now, entries, seal);
        if (checkpoints.length) sealed.push({ chain: c, checkpoints });
      }
      await runner.commitTransaction();
      this.lastFault = null;
      // Every checkpoint this transaction sealed, in order, in one task (the file is appended in order).
      if (sealed.length)
        tx.onCommit(() =>
          sealed.forEach((s) => s.checkpoints.forEach((cp) => this.auditWriter.recordCheckpointFile(s.chain, cp))),
        );
      for (const fn of tx.afterCommit) {
        Promise.resolve()
          .then(fn)
          .catch((e) => this.logger.error(`after-commit task failed: ${(e as Error).message}`));
      }
      return result;
    } catch (err) {
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch((e) => this.logger.warn(`rollback failed: ${(e as Error).message}`));
      }
      const kind = faultKind(err);
      if (kind && kind !== 'busy') {
        this.lastFault = kind;
        this.logger.error(`write failed, database fault (${kind}): ${(err as Error).message}`);
      }
      if (this.dialect === 'sqlite') await this.ensureSqliteWriterClean(runner);
      // PostgreSQL serialization failures are retried by the caller with their driver code intact.
      if (this.dialect === 'postgres' && RETRYABLE_PG.has(driverCode(err) ?? '')) throw err;
      throw translateFault(err);
    } finally {
      await runner.release();
    }
  }

  /**
   * Opens the transaction and takes the write lock. SQLite: the first statement is a write, so the
   * RESERVED lock is taken at once; while another process holds it the statement fails after a few
   * milliseconds (SQLITE_LOCK_POLL_MS) and is retried here asynchronously until the deadline, so the
   * event loop keeps serving health and reads. PostgreSQL: a row lock on the chain head, which every
   * writer needs anyway (the wait is asynchronous there).
   */
  private async begin(
    runner: QueryRunner,
    sql: Sql,
    chains: ChainId[],
    deadline: number,
    newStudyCode?: string,
  ): Promise<Array<{ seq: number; hash: string }>> {
    try {
      for (let attempt = 1; ; attempt++) {
        await runner.startTransaction();
        try {
          const heads = [];
          for (const chain of chains) heads.push(await this.lockChainHead(sql, chain, newStudyCode));
          return heads;
        } catch (err) {
          if (this.dialect !== 'sqlite' || faultKind(err) !== 'busy' || Date.now() >= deadline) throw err;
          this.foreignLockSince ??= Date.now();
          await runner.rollbackTransaction();
          await sleep(Math.min(busyBackoffMs(attempt), Math.max(0, deadline - Date.now())));
        }
      }
    } finally {
      this.foreignLockSince = null;
    }
  }

  /**
   * Locks the head of a chain (audit_head.id is the chain: a study's id, or INSTANCE_CHAIN). A chain's
   * first write creates its head at the chain's genesis (audit-chain.ts chainGenesis); an unknown study
   * is refused.
   */
  private async lockChainHead(sql: Sql, chain: ChainId, newStudyCode?: string): Promise<{ seq: number; hash: string }> {
    const lock = this.dialect === 'postgres' ? ' FOR UPDATE' : '';
    if (this.dialect === 'sqlite') await sql.exec('UPDATE audit_head SET seq = seq WHERE id = ?', [chain]);
    let row = await sql.one<Record<string, unknown>>(`SELECT seq, hash FROM audit_head WHERE id = ?${lock}`, [chain]);
    if (!row) {
      const study =
        chain === INSTANCE_CHAIN
          ? null
          : await sql.one<Record<string, unknown>>('SELECT code FROM study WHERE id = ?', [chain]);
      // Before the study exists (a fresh instance's first accounts) the first study's chain may start.
      if (!study && chain !== FIRST_STUDY_ID && chain !== INSTANCE_CHAIN && !newStudyCode)
        throw new Error(`no study with id ${chain}: its audit chain cannot start`);
      // Its genesis would be the instance chain's (audit-chain.ts chainGenesis).
      if (chain !== INSTANCE_CHAIN && (study?.code ?? newStudyCode) === 'instance')
        throw new Error('a study coded "instance" cannot start its audit chain');
      await sql.exec('INSERT INTO audit_head (id, seq, hash) VALUES (?, 0, ?) ON CONFLICT (id) DO NOTHING', [
        chain,
        chainGenesis(chain, String(study?.code ?? newStudyCode ?? '')),
      ]);
      row = await sql.one<Record<string, unknown>>(`SELECT seq, hash FROM audit_head WHERE id = ?${lock}`, [chain]);
    }
    if (!row) throw new Error('audit_head row is missing');
    return { seq: Number(row.seq), hash: String(row.hash) };
  }

  /**
   * After a failed attempt: SQLite may have rolled back on its own (a failed COMMIT on a full disk or
   * an I/O error) while TypeORM still counts a transaction, or a ROLLBACK may have failed and left one
   * open. Either way the next write would run as a savepoint inside a transaction that never commits.
   * When the driver's real state and TypeORM's disagree, or anything is still open, reopen.
   */
  private async ensureSqliteWriterClean(runner: QueryRunner): Promise<void> {
    const handle = rawSqliteHandle(this.writer);
    const depth = (runner as unknown as { transactionDepth?: number }).transactionDepth ?? 0;
    if (handle?.open && !handle.inTransaction && !runner.isTransactionActive && depth === 0) return;
    this.logger.error(
      `SQLite writer left inconsistent after a failed write (driver inTransaction=${handle?.inTransaction}, TypeORM active=${runner.isTransactionActive}, depth=${depth}); reopening the connection`,
    );
    await this.reopenSqliteWriter();
  }

  /** Closes and reopens the SQLite writer; if that fails, writes are refused (503) until it works. */
  private async reopenSqliteWriter(): Promise<void> {
    try {
      if (this.writer.isInitialized) await this.writer.destroy();
    } catch (err) {
      this.logger.error(`closing the SQLite writer failed: ${(err as Error).message}`);
    }
    try {
      await this.writer.initialize();
      this.writerClosed = false;
      this.logger.warn('SQLite writer reopened');
    } catch (err) {
      this.writerClosed = true;
      this.lastFault = faultKind(err) ?? 'unavailable';
      this.logger.error(
        `reopening the SQLite writer failed; writes are refused until it works: ${(err as Error).message}`,
      );
    }
  }

  /**
   * The writer's real state, for health. SQLite: when no write is running, a write probe (an UPDATE of
   * the chain head to itself, committed: it needs the lock and a WAL frame on disk) through the same
   * path and recovery as every write; while writes are running, the last outcome they met.
   * PostgreSQL: a read-write check on a pooled connection.
   */
  async checkWriter(): Promise<WriterState> {
    if (this.dialect === 'postgres') {
      try {
        const row = await this.read((sql) =>
          sql.one<Record<string, unknown>>("SELECT current_setting('transaction_read_only') AS ro"),
        );
        return row?.ro === 'on' ? 'unavailable' : 'ok';
      } catch (err) {
        return faultKind(err) ?? 'unavailable';
      }
    }
    if (this.sqliteWriteLock.queued > 0) return this.lastFault ?? 'ok';
    try {
      await this.withWriteTransaction(SYSTEM_ACTOR, async () => undefined, {
        unaudited: 'health write probe',
        waitMs: 0,
      });
      return 'ok';
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'BUSY') return 'busy';
      if (code === 'STORAGE_FULL') return 'full';
      return 'unavailable';
    }
  }

  /**
   * The durability settings as the live writer connection has them (installation qualification):
   * SQLite `journal_mode` and `synchronous` read back from the writer (not from the configuration);
   * PostgreSQL `fsync`, `synchronous_commit` and `full_page_writes` from the server.
   */
  async durabilitySettings(): Promise<Record<string, string>> {
    if (this.dialect === 'sqlite') {
      const handle = rawSqliteHandle(this.writer);
      if (!handle?.open) throw new Error('the SQLite writer connection is closed');
      // Synchronous calls on the one connection: nothing can interleave with them.
      return {
        journal_mode: String(handle.pragma('journal_mode', { simple: true })),
        synchronous: String(handle.pragma('synchronous', { simple: true })),
      };
    }
    const settings: Record<string, string> = {};
    await this.read(async (sql) => {
      for (const name of ['fsync', 'synchronous_commit', 'full_page_writes'])
        settings[name] = String((await sql.one<Record<string, unknown>>(`SHOW ${name}`))?.[name] ?? '');
    });
    return settings;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
