/**
 * Opens a blindrand database for the CLI without the server, through the same driver and
 * repositories as the server (database/driver.ts): a SQLite file read-only (safe while the server
 * runs, thanks to WAL), or PostgreSQL from a URL.
 *
 * These commands never write, so they do not migrate: a database made by an older release (fewer
 * migrations than this build's STEPS) is refused with one line naming it and saying how to upgrade
 * (starting the server, or any CLI command that boots the app, such as `user password-link`,
 * migrates it in place) — instead of a raw "no such table" from the first query. A database a newer
 * release migrated is refused too: this build would misread its layout.
 */
import { existsSync } from 'node:fs';
import type { Driver } from '../database/driver.js';
import { STEPS } from '../database/migrations/index.js';
import type { Sql } from '../database/sql.js';
import { CliError } from './cli-error.js';

/** Throws a CliError naming the database when its schema is not the one this build expects. */
async function checkSchema(sql: Sql, name: string): Promise<void> {
  const tableExists =
    sql.dialect === 'sqlite'
      ? (await sql.count(
          "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        )) > 0
      : (await sql.one<Record<string, unknown>>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present"))
          ?.present === true;
  if (!tableExists) throw new CliError(`${name} is not a blindrand database (it has no schema_migrations table)`);
  const applied = new Set((await sql.all('SELECT name FROM schema_migrations')).map((r) => String(r.name)));
  const known = new Set(STEPS.map((s) => s.name));
  const newer = [...applied].filter((n) => !known.has(n)).sort();
  if (newer.length)
    throw new CliError(
      `${name} was migrated by a newer release of blindrand (${newer.length} migration(s) this release does not know, first ${newer[0]}): use that release's CLI`,
    );
  const missing = STEPS.map((s) => s.name).filter((n) => !applied.has(n));
  if (missing.length === 0) return;
  throw new CliError(
    `${name} was made by an older release and is not migrated to this one (${missing.length} migration(s) missing, first ${missing[0]}): ` +
      'start the server once on it (it migrates in place at start), then run this command again',
  );
}

export async function openOfflineDb(opts: { db?: string; databaseUrl?: string }): Promise<Driver> {
  const db = await openUnchecked(opts);
  try {
    await db.run((sql) =>
      checkSchema(
        sql,
        opts.databaseUrl ? `the PostgreSQL database ${redactUrl(opts.databaseUrl)}` : `the database file ${opts.db}`,
      ),
    );
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

async function openUnchecked(opts: { db?: string; databaseUrl?: string }): Promise<Driver> {
  // Loaded here, not at the top: TypeORM is not needed by the commands that open no database. One after
  // the other: both import TypeORM, and two concurrent first imports of one module graph fail under jest's
  // ESM loader ("request for './index.js' is not in cache"), which runs this CLI in-process in the tests.
  const { openDriver } = await import('../database/driver.js');
  const { privateReaderOptions } = await import('../database/data-sources.js');
  if (opts.databaseUrl) {
    // One connection is all a CLI command needs.
    return openDriver({
      type: 'postgres',
      url: opts.databaseUrl,
      extra: { max: 1, connectionTimeoutMillis: 10000 },
    }).catch((e: Error) => {
      throw new CliError(`cannot connect to PostgreSQL: ${e.message}`);
    });
  }
  if (!opts.db) throw new CliError('give --db FILE (SQLite) or --database-url URL (PostgreSQL)');
  if (!existsSync(opts.db)) throw new CliError(`no database file at ${opts.db}`);
  return openDriver(privateReaderOptions(opts.db, 5000));
}
