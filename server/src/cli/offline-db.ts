/**
 * Opens a blindrand database for the CLI without the server: a SQLite file read-only (safe while
 * the server runs, thanks to WAL), or PostgreSQL from a URL. Returns a minimal query function.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { CliError } from './cli-error.js';

export interface OfflineDb {
  all(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Runs `work` in ONE read-only transaction, so every query sees the same snapshot (SQLite: a
   * deferred read transaction on this private connection, the snapshot fixed by its first read;
   * PostgreSQL: REPEATABLE READ READ ONLY).
   */
  snapshot<T>(work: (db: Pick<OfflineDb, 'all'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function inTransaction<T>(db: Pick<OfflineDb, 'all'>, begin: string, work: (db: Pick<OfflineDb, 'all'>) => Promise<T>): Promise<T> {
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

export async function openOfflineDb(opts: { db?: string; databaseUrl?: string }): Promise<OfflineDb> {
  if (opts.databaseUrl) {
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
  return {
    all,
    snapshot: (work) => inTransaction({ all }, 'BEGIN', work),
    close: async () => {
      db.close();
    },
  };
}
