/**
 * Opens a blindrand database for the CLI without the server: a SQLite file read-only (safe while
 * the server runs, thanks to WAL), or PostgreSQL from a URL. Returns a minimal query function.
 *
 * These commands never write, so they do not migrate: a database made by an older release (fewer
 * migrations than this build's STEPS) is refused with one line naming it and saying how to upgrade
 * (starting the server, or any CLI command that boots the app, such as `user password-link`,
 * migrates it in place) — instead of a raw "no such table" from the first query.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { STEPS } from '../database/migrations/index.js';
import { CliError } from './cli-error.js';

export interface OfflineDb {
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** SQLite only: rows as arrays, statements prepared once (the audit verifier's fast path). */
  raw?(sql: string, params?: unknown[]): Promise<unknown[][]>;
  /**
   * Runs `work` in ONE read-only transaction, so every query sees the same snapshot (SQLite: a
   * deferred read transaction on this private connection, the snapshot fixed by its first read;
   * PostgreSQL: REPEATABLE READ READ ONLY).
   */
  snapshot<T>(work: (db: Pick<OfflineDb, 'all' | 'raw'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function inTransaction<T>(db: Pick<OfflineDb, 'all' | 'raw'>, begin: string, work: (db: Pick<OfflineDb, 'all' | 'raw'>) => Promise<T>): Promise<T> {
  await db.all(begin);
  try {
    const result = await work(db);
    await db.all('COMMIT');
    return result;
  } catch (err) {
    await db.all('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Throws a CliError naming the database when its schema is not the one this build expects. */
async function checkSchema(db: Pick<OfflineDb, 'all'>, name: string, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const tableExists =
    dialect === 'sqlite'
      ? (await db.all("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")).length > 0
      : (await db.all("SELECT to_regclass('schema_migrations') IS NOT NULL AS present"))[0]?.present === true;
  if (!tableExists) throw new CliError(`${name} is not a blindrand database (it has no schema_migrations table)`);
  const applied = new Set((await db.all('SELECT name FROM schema_migrations')).map((r) => String(r.name)));
  const missing = STEPS.map((s) => s.name).filter((n) => !applied.has(n));
  if (missing.length === 0) return;
  throw new CliError(
    `${name} was made by an older release and is not migrated to this one (${missing.length} migration(s) missing, first ${missing[0]}): ` +
      'start the server once on it (it migrates in place at start), then run this command again',
  );
}

export async function openOfflineDb(opts: { db?: string; databaseUrl?: string }): Promise<OfflineDb> {
  const db = await openUnchecked(opts);
  try {
    await checkSchema(db, opts.databaseUrl ? `the PostgreSQL database ${redactUrl(opts.databaseUrl)}` : `the database file ${opts.db}`, opts.databaseUrl ? 'postgres' : 'sqlite');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function openUnchecked(opts: { db?: string; databaseUrl?: string }): Promise<OfflineDb> {
  if (opts.databaseUrl) {
    // Loaded only for PostgreSQL: SQLite runs (most CLI use) start faster without it.
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect().catch((e: Error) => {
      throw new CliError(`cannot connect to PostgreSQL: ${e.message}`);
    });
    const all = async (sql: string, params: unknown[] = []) => {
      let n = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Record<string, unknown>[];
    };
    return { all, snapshot: (work) => inTransaction({ all }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work), close: () => client.end() };
  }
  if (!opts.db) throw new CliError('give --db FILE (SQLite) or --database-url URL (PostgreSQL)');
  if (!existsSync(opts.db)) throw new CliError(`no database file at ${opts.db}`);
  const db = new Database(opts.db, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const all = async (sql: string, params: unknown[] = []) => {
    const statement = db.prepare(sql);
    if (!statement.reader) {
      statement.run(...params);
      return [];
    }
    return statement.all(...params) as Record<string, unknown>[];
  };
  const rawStatements = new Map<string, Database.Statement>();
  const raw = async (sql: string, params: unknown[] = []) => {
    let statement = rawStatements.get(sql);
    if (!statement) rawStatements.set(sql, (statement = db.prepare(sql).raw(true)));
    return statement.all(...params) as unknown[][];
  };
  return {
    all,
    raw,
    snapshot: (work) => inTransaction({ all, raw }, 'BEGIN', work),
    close: async () => {
      db.close();
    },
  };
}
