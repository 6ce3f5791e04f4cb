/**
 * What start-up needs to know about the database before the app opens and migrates it: can it be
 * written, and how much signed history does it hold. Uses its own short-lived connection (the shared
 * driver, database/driver.ts) and writes nothing (SQLite: BEGIN IMMEDIATE then ROLLBACK; PostgreSQL:
 * the server's read-only settings), so a refused start leaves the database exactly as it was.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config/config.js';
import type { Driver } from '../database/driver.js';
import { driverCode, type Sql } from '../database/sql.js';
import { FIRST_STUDY_ID, type ChainId } from '../database/study-scope.js';

/** A reason not to start; main.ts prints it as one line. */
export class StartupError extends Error {}

export interface DatabaseState {
  /** False for a new database (no schema yet): nothing in it can depend on a key. */
  initialized: boolean;
  /** Entries in every chain together (what a missing key would make unverifiable). */
  headSeq: number;
  /** Each chain's head (audit_head: one row per chain; before migration 018 only the first study's). */
  heads: Map<ChainId, number>;
  checkpoints: number;
  signatures: number;
  /** Public key (SPKI base64) of the newest checkpoint in the database, if any. */
  newestCheckpointKey: string | null;
  /** The key of record after the newest `key rotate`, if any (it outranks the newest checkpoint's). */
  newestRotationKey: string | null;
  /** The hash at each requested position that exists, keyed by positionKey(chain, seq). */
  hashes: Map<string, string>;
  /** The names of the migrations applied to it (schema_migrations). */
  migrations: string[];
  /** How many accounts have a TOTP secret sealed with second-factor.key, and one of them (to try the key on). */
  secondFactors: number;
  sealedSecondFactor: { userId: string; secretSealed: string } | null;
}

const EMPTY: DatabaseState = {
  initialized: false,
  headSeq: 0,
  heads: new Map(),
  checkpoints: 0,
  signatures: 0,
  newestCheckpointKey: null,
  newestRotationKey: null,
  hashes: new Map(),
  migrations: [],
  secondFactors: 0,
  sealedSecondFactor: null,
};

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** A position in one chain (a file checkpoint's chain and size). */
export interface ChainPosition {
  chain: ChainId;
  seq: number;
}

export const positionKey = (chain: ChainId, seq: number): string => `${chain}:${seq}`;

/** Reads the state; `seqs` are the chain positions whose hashes the caller wants (file checkpoints). */
export async function inspectDatabase(config: DatabaseConfig, seqs: ChainPosition[]): Promise<DatabaseState> {
  return config.dialect === 'sqlite' ? inspectSqlite(config.path, seqs) : inspectPostgres(config.url, seqs);
}

async function inspectSqlite(path: string, seqs: ChainPosition[]): Promise<DatabaseState> {
  if (!existsSync(path)) {
    const folder = nearestExisting(dirname(path));
    try {
      accessSync(folder, constants.W_OK);
    } catch {
      throw new StartupError(
        `cannot create the database file ${path}: the folder ${folder} is read-only; nothing was written`,
      );
    }
    return EMPTY;
  }
  const { openDriver } = await import('../database/driver.js');
  let db: Driver;
  try {
    db = await openDriver({ type: 'better-sqlite3', database: path, fileMustExist: true, timeout: 2000 });
  } catch (err) {
    throw new StartupError(`cannot open the database file ${path}: ${driverMessage(err)}`);
  }
  try {
    return await db.run(async (sql) => {
      await probeWritable(sql, path);
      return readState(
        (q) => sql.all(q),
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'",
        seqs,
      );
    });
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`cannot read the database file ${path}: ${driverMessage(err)}`);
  } finally {
    await db.close();
  }
}

/** The driver's own message (TypeORM prefixes it with the error's class name). */
function driverMessage(err: unknown): string {
  return ((err as { driverError?: Error }).driverError ?? (err as Error)).message;
}

/** Takes and releases the write lock: SQLite refuses it on a read-only file or filesystem. */
async function probeWritable(sql: Sql, path: string): Promise<void> {
  try {
    await sql.exec('BEGIN IMMEDIATE');
    await sql.exec('ROLLBACK');
  } catch (err) {
    const code = String(driverCode(err) ?? '');
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
      throw new StartupError(
        `the database file ${path} is read-only (${code}): make it and its folder writable; nothing was written`,
      );
    }
    // Busy: another instance holds the write lock, which says nothing about this file's health.
    if (code.startsWith('SQLITE_BUSY')) return;
    throw err;
  }
}

async function inspectPostgres(url: string, seqs: ChainPosition[]): Promise<DatabaseState> {
  const { openDriver } = await import('../database/driver.js');
  let db: Driver;
  try {
    db = await openDriver({ type: 'postgres', url, extra: { max: 1, connectionTimeoutMillis: 10000 } });
  } catch (err) {
    throw new StartupError(`cannot connect to PostgreSQL (DATABASE_URL): ${driverMessage(err)}`);
  }
  try {
    return await db.run((sql) => readPostgresState(sql, seqs));
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`cannot read the PostgreSQL database (DATABASE_URL): ${driverMessage(err)}`);
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function readPostgresState(sql: Sql, seqs: ChainPosition[]): Promise<DatabaseState> {
  const query: Query = (statement) => sql.all(statement);
  const [mode] = await query("SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro");
  if (mode.standby === true || mode.ro === 'on') {
    throw new StartupError(
      `the PostgreSQL database (DATABASE_URL) is read-only (${mode.standby ? 'a standby in recovery' : 'default_transaction_read_only is on'}): point DATABASE_URL at a writable primary; nothing was written`,
    );
  }
  return readState(
    query,
    "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'audit_head'",
    seqs,
  );
}

async function readState(query: Query, hasSchema: string, seqs: ChainPosition[]): Promise<DatabaseState> {
  if (Number((await query(hasSchema))[0].n) === 0) return EMPTY;
  const num = async (sql: string) => Number(Object.values((await query(sql))[0] ?? { n: 0 })[0] ?? 0);
  // Before migration 018 the log has no chain column: it is all the first study's chain.
  const chained = await query('SELECT chain FROM audit_log WHERE 1 = 0').then(
    () => true,
    () => false,
  );
  const newest = await query(`SELECT public_key FROM audit_checkpoints ORDER BY at DESC, size DESC LIMIT 1`);
  // signing_keys arrives with migration 008: an older database has no rotations yet.
  const rotated = await query('SELECT public_key FROM signing_keys ORDER BY id DESC LIMIT 1').catch(() => []);
  // second_factors arrives with migration 015: an older database has none.
  const sealed = await query('SELECT user_id, secret_sealed FROM second_factors ORDER BY user_id LIMIT 1').catch(
    () => [],
  );
  const heads = new Map<ChainId, number>();
  for (const row of await query('SELECT id, seq FROM audit_head')) heads.set(Number(row.id), Number(row.seq));
  const hashes = new Map<string, string>();
  const byChain = new Map<ChainId, Set<number>>();
  for (const { chain, seq } of seqs) {
    if (!Number.isSafeInteger(seq) || seq <= 0 || !Number.isSafeInteger(chain)) continue;
    if (!chained && chain !== FIRST_STUDY_ID) continue;
    byChain.set(chain, (byChain.get(chain) ?? new Set()).add(seq));
  }
  for (const [chain, set] of byChain) {
    const wanted = [...set];
    for (let i = 0; i < wanted.length; i += 500) {
      // Whole numbers only (checked above), so inlining them is safe.
      const where = `seq IN (${wanted.slice(i, i + 500).join(', ')})${chained ? ` AND chain = ${chain}` : ''}`;
      for (const row of await query(`SELECT seq, hash FROM audit_log WHERE ${where}`))
        hashes.set(positionKey(chain, Number(row.seq)), String(row.hash));
    }
  }
  return {
    initialized: true,
    headSeq: [...heads.values()].reduce((a, b) => a + b, 0),
    heads,
    checkpoints: await num('SELECT COUNT(*) AS n FROM audit_checkpoints'),
    signatures: await num('SELECT COUNT(*) AS n FROM signatures'),
    newestCheckpointKey: newest.length ? String(newest[0].public_key) : null,
    newestRotationKey: rotated.length ? String(rotated[0].public_key) : null,
    hashes,
    migrations: (await query('SELECT name FROM schema_migrations')).map((r) => String(r.name)),
    secondFactors: sealed.length ? await num('SELECT COUNT(*) AS n FROM second_factors') : 0,
    sealedSecondFactor: sealed.length
      ? { userId: String(sealed[0].user_id), secretSealed: String(sealed[0].secret_sealed) }
      : null,
  };
}

function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}
