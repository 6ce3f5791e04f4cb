/**
 * Opens the TypeORM data sources for the configured dialect and migrates.
 * SQLite: one writer connection (WAL, synchronous=FULL) and one read-only reader, so reads never see
 * another request's open transaction on the shared writer connection. Both have a busy timeout of a
 * few milliseconds only: better-sqlite3 waits for a lock synchronously, which freezes the event loop,
 * so the longer wait for another process's lock is done by DatabaseService with async retries.
 * PostgreSQL: one pool for both; migrations under an advisory lock so N instances can start together.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { migrationsFor } from './migrations/index.js';

export interface OpenedDatabase {
  writer: DataSource;
  reader: DataSource;
}

const MIGRATION_LOCK_KEY = 727_2026_01;

/** The longest a single SQLite statement may block the event loop waiting for a lock. */
export const SQLITE_LOCK_POLL_MS = 10;

/** The better-sqlite3 handle behind a SQLite data source (for its real `inTransaction` state). */
export interface RawSqliteHandle {
  inTransaction: boolean;
  open: boolean;
  exec(sql: string): unknown;
  pragma(sql: string, options?: { simple: boolean }): unknown;
}

export function rawSqliteHandle(ds: DataSource): RawSqliteHandle | null {
  const handle = (ds.driver as unknown as { databaseConnection?: RawSqliteHandle }).databaseConnection;
  return handle ?? null;
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenedDatabase> {
  if (config.dialect === 'postgres') {
    const ds = new DataSource({
      type: 'postgres',
      url: config.url,
      migrations: migrationsFor('postgres'),
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      extra: { max: 10, connectionTimeoutMillis: 10000 },
    });
    await ds.initialize();
    const runner = ds.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
    return { writer: ds, reader: ds };
  }

  mkdirSync(dirname(config.path), { recursive: true });
  // Start-up may wait for another process (an instance migrating, a backup): the full busy timeout,
  // before anything is served. Afterwards (and on a reopen) statements wait a few milliseconds only.
  let busyMs = config.busyTimeoutMs;
  const writer = new DataSource({
    type: 'better-sqlite3',
    database: config.path,
    enableWAL: true,
    timeout: config.busyTimeoutMs,
    migrations: migrationsFor('sqlite'),
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma(`busy_timeout = ${busyMs}`);
      // FULL unless SQLITE_SYNCHRONOUS says otherwise (qualification flags anything else).
      db.pragma(`synchronous = ${config.synchronous}`);
    },
  });
  await writer.initialize();
  await writer.runMigrations({ transaction: 'each' });
  const reader = new DataSource({
    type: 'better-sqlite3',
    database: config.path,
    readonly: true,
    timeout: config.busyTimeoutMs,
    synchronize: false,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma(`busy_timeout = ${busyMs}`);
    },
  });
  await reader.initialize();
  busyMs = SQLITE_LOCK_POLL_MS;
  for (const ds of [writer, reader]) rawSqliteHandle(ds)?.exec(`PRAGMA busy_timeout = ${busyMs}`);
  return { writer, reader };
}

export async function closeDatabase(db: OpenedDatabase): Promise<void> {
  if (db.reader !== db.writer && db.reader.isInitialized) await db.reader.destroy();
  if (db.writer.isInitialized) await db.writer.destroy();
}
