/**
 * The TypeORM data sources' options and openers (Nest provides them: database.module.ts; the CLI
 * and the tests open their own through driver.ts). No Nest import here: the offline CLI loads this.
 * SQLite: one writer connection (WAL, synchronous=FULL), the default data source, and one read-only
 * reader named READER, so reads never see another request's open transaction on the shared writer
 * connection. Both have a busy timeout of a few milliseconds only once open: better-sqlite3 waits for
 * a lock synchronously, which freezes the event loop, so the longer wait for another process's lock is
 * done by DatabaseService with async retries.
 * PostgreSQL: one pool for both (no READER); migrations under an advisory lock so N instances can
 * start together.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { migrationsFor } from './migrations/index.js';

const MIGRATION_LOCK_KEY = 727_2026_01;

/** The longest a single SQLite statement may block the event loop waiting for a lock. */
const SQLITE_LOCK_POLL_MS = 10;

/** The better-sqlite3 handle behind a SQLite data source (for its real `inTransaction` state). */
export interface RawSqliteHandle {
  inTransaction: boolean;
  open: boolean;
  exec(sql: string): unknown;
  pragma(sql: string, options?: { simple: boolean }): unknown;
  prepare(sql: string): { raw(on: boolean): { all(...params: unknown[]): unknown[] } };
}

export function rawSqliteHandle(ds: DataSource): RawSqliteHandle | null {
  const handle = (ds.driver as unknown as { databaseConnection?: RawSqliteHandle }).databaseConnection;
  return handle ?? null;
}

type SqliteDb = { pragma(sql: string): unknown };

/** The writer's (or PostgreSQL pool's) options, from the configuration. */
export function writerOptions(config: DatabaseConfig): DataSourceOptions {
  if (config.dialect === 'postgres') {
    return {
      type: 'postgres',
      url: config.url,
      migrations: migrationsFor('postgres'),
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      extra: { max: 10, connectionTimeoutMillis: 10000 },
    };
  }
  return {
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    timeout: config.busyTimeoutMs,
    migrations: migrationsFor('sqlite'),
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    prepareDatabase: (db: SqliteDb) => {
      // Start-up may wait for another process (an instance migrating, a backup): the full busy timeout.
      db.pragma(`busy_timeout = ${config.busyTimeoutMs}`);
      // FULL unless SQLITE_SYNCHRONOUS says otherwise (qualification flags anything else).
      db.pragma(`synchronous = ${config.synchronous}`);
    },
  };
}

/** The SQLite reader's options (opened after the writer has created and migrated the file). */
export function readerOptions(config: Extract<DatabaseConfig, { dialect: 'sqlite' }>): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: config.path,
    readonly: true,
    timeout: config.busyTimeoutMs,
    synchronize: false,
    prepareDatabase: (db: SqliteDb) => {
      db.pragma(`busy_timeout = ${config.busyTimeoutMs}`);
    },
  };
}

/**
 * A read-only SQLite connection of its own, for a consistent snapshot (audit verification) or the
 * offline CLI: its busy timeout is the longest one statement may block waiting for a lock.
 */
export function privateReaderOptions(path: string, busyTimeoutMs: number): DataSourceOptions {
  return { type: 'better-sqlite3', database: path, readonly: true, fileMustExist: true, timeout: busyTimeoutMs };
}

/** A read-write connection of its own, no migration (direct access that bypasses the app: tamper checks, tests). */
export function directOptions(config: DatabaseConfig): DataSourceOptions {
  if (config.dialect === 'postgres')
    return { type: 'postgres', url: config.url, extra: { max: 1, connectionTimeoutMillis: 10000 } };
  return { type: 'better-sqlite3', database: config.path, timeout: 5000 };
}

/**
 * Opens a SQLite data source with the full busy timeout, then lowers it to SQLITE_LOCK_POLL_MS for
 * every later statement and for every reopen (DatabaseService reopens the writer after a fault).
 */
export async function openSqlite(options: DataSourceOptions, migrate: boolean): Promise<DataSource> {
  if (options.type !== 'better-sqlite3') throw new Error('not a SQLite data source');
  const configured = options.prepareDatabase;
  let started = false;
  const ds = new DataSource({
    ...options,
    prepareDatabase: (db: SqliteDb) => {
      configured?.(db);
      if (started) db.pragma(`busy_timeout = ${SQLITE_LOCK_POLL_MS}`);
    },
  });
  if (!options.readonly) mkdirSync(dirname(options.database), { recursive: true });
  await ds.initialize();
  if (migrate) await ds.runMigrations({ transaction: 'each' });
  started = true;
  rawSqliteHandle(ds)?.exec(`PRAGMA busy_timeout = ${SQLITE_LOCK_POLL_MS}`);
  return ds;
}

/** The writer's `dataSourceFactory`: opens and migrates (PostgreSQL: under the advisory lock). */
export async function openWriter(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'postgres') return openSqlite(options, true);
  const ds = new DataSource(options);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
  return ds;
}
