/**
 * A migrated, seeded template database per tier run, copied for each test app instead of migrating
 * and seeding from scratch (issue 14, Build 6). Jest's globalSetup (template-setup.ts) makes an empty
 * folder and names it in BLINDRAND_TEST_TEMPLATES; the first test app that needs a variant builds it
 * there (a mkdir is the lock between Jest workers), the others wait for it and copy:
 * - SQLite: the database file, checkpointed so that no -wal is needed, with its signing key and
 *   checkpoint file (start-up checks the database against both);
 * - PostgreSQL: `CREATE DATABASE … TEMPLATE …`, plus the same key and checkpoint file.
 * A copy starts like any existing database: migrations find nothing to do and the demo seed sees its
 * users. Only apps whose settings cannot change what a first start writes use a template; tests of a
 * first start or of migrations pass their own database or settings and keep starting from scratch.
 */
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { forkAppHost } from './app-process.js';
import type { Argon2Cost } from './env.js';
import { createPostgresDatabase, postgresAdminUrl } from './postgres-db.js';

export const TEMPLATES_ENV = 'BLINDRAND_TEST_TEMPLATES';

/** Settings read only while the app runs: a database made without them is the same database. */
const RUNTIME_ONLY = new Set([
  'AUTH_THROTTLE_PER_MINUTE',
  'SMTP_URL',
  'MAIL_FROM',
  'MAIL_POLL_MS',
  'MAIL_RETRY_BASE_MS',
  'MAIL_RETRY_MAX_MS',
  'ESCALATION_CHECK_MS',
  'SQLITE_BUSY_TIMEOUT_MS',
  'BACKUP_DIR',
  'BACKUP_MAX_AGE_HOURS',
  'RELEASE_MANIFEST_PATH',
  'PUBLIC_URL',
  'TLS_TERMINATED_BY_PROXY',
  'LOCKOUT_THRESHOLD',
  'SESSION_IDLE_SECONDS',
  'SESSION_MAX_SECONDS',
  'BODY_LIMIT_BYTES',
  'LOG_REQUESTS',
  'MIN_FREE_DISK_MB',
]);

export interface TemplateChoice {
  /** The folder's name for this variant, e.g. `sqlite-active-test`. */
  name: string;
  studyStatus: 'active' | 'setup';
}

/** The template an app with these settings can start from, or null when it must start from scratch. */
export function templateFor(
  env: Record<string, string>,
  demo: boolean,
  cost: Argon2Cost,
  postgres: boolean,
): TemplateChoice | null {
  if (!process.env[TEMPLATES_ENV] || !demo) return null;
  for (const [key, value] of Object.entries(env)) {
    if (RUNTIME_ONLY.has(key) || key === 'DEMO_STUDY_STATUS') continue;
    // DATABASE_URL='' forces SQLite (reliability tests): the same as no setting when the tier is on SQLite.
    if (key === 'DATABASE_URL' && value === '' && !postgres) continue;
    return null;
  }
  const studyStatus =
    env.DEMO_STUDY_STATUS === 'setup'
      ? 'setup'
      : env.DEMO_STUDY_STATUS === undefined || env.DEMO_STUDY_STATUS === 'active'
        ? 'active'
        : null;
  if (!studyStatus) return null;
  return { name: `${postgres ? 'postgres' : 'sqlite'}-${studyStatus}-${cost}`, studyStatus };
}

interface Built {
  /** The PostgreSQL template database's name (null on SQLite). */
  database: string | null;
}

const DB_FILE = 'db.sqlite';
const READY = 'ready.json';
const FAILED = 'failed.txt';

/**
 * Copies the template into `dir` (building it first if no worker has) and returns the settings that
 * point the app at the copy.
 */
export async function copyTemplate(
  choice: TemplateChoice,
  dir: string,
  baseEnv: Record<string, string>,
): Promise<Record<string, string>> {
  const folder = join(process.env[TEMPLATES_ENV]!, choice.name);
  const built = await ensureBuilt(folder, choice, baseEnv);
  for (const f of readdirSync(folder)) {
    if (f === READY || f === FAILED) continue;
    copyFileSync(join(folder, f), join(dir, f));
  }
  chmodSync(join(dir, 'audit-signing.key'), 0o600);
  const env: Record<string, string> = { SIGNING_KEY_PATH: join(dir, 'audit-signing.key') };
  if (!built.database) return { ...env, DATABASE_PATH: join(dir, DB_FILE) };
  return { ...env, DATABASE_URL: await createPostgresDatabase('t', built.database) };
}

/** mkdir is atomic: the one worker that makes the folder builds, the others wait for ready.json. */
function tryLock(folder: string): boolean {
  try {
    mkdirSync(folder);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function ensureBuilt(folder: string, choice: TemplateChoice, baseEnv: Record<string, string>): Promise<Built> {
  if (!tryLock(folder)) {
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (existsSync(join(folder, READY))) return JSON.parse(readFileSync(join(folder, READY), 'utf8')) as Built;
      if (existsSync(join(folder, FAILED)))
        throw new Error(
          `the ${choice.name} template failed to build in another worker: ${readFileSync(join(folder, FAILED), 'utf8')}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the ${choice.name} template was not built within 180 s`);
  }
  try {
    const built = await build(folder, choice, baseEnv);
    writeFileSync(join(folder, READY), JSON.stringify(built));
    return built;
  } catch (err) {
    writeFileSync(join(folder, FAILED), String((err as Error).stack ?? err));
    throw err;
  }
}

async function build(folder: string, choice: TemplateChoice, baseEnv: Record<string, string>): Promise<Built> {
  const postgres = choice.name.startsWith('postgres');
  const database = postgres ? await createPostgresDatabase(`tpl_${choice.name.replace(/-/g, '_')}`) : null;
  const env: Record<string, string> = {
    ...baseEnv,
    DEMO_STUDY_STATUS: choice.studyStatus,
    TEST_DEMO: '1',
    SIGNING_KEY_PATH: join(folder, 'audit-signing.key'),
    ...(database ? { DATABASE_URL: database } : { DATABASE_PATH: join(folder, DB_FILE), DATABASE_URL: '' }),
  };
  const host = await forkAppHost(env);
  await host.close();
  if (!database) {
    // Everything into the main file, so that copying it alone copies the database.
    const db = new Database(join(folder, DB_FILE));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const f of readdirSync(folder))
      if (f.endsWith('-wal') || f.endsWith('-shm')) throw new Error(`${f} left after the checkpoint`);
    return { database: null };
  }
  const name = new URL(database).pathname.slice(1);
  await withAdmin(async (c) => {
    // No connection may stay on a template while it is copied.
    await c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
    await c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
  });
  return { database: name };
}

async function withAdmin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops the PostgreSQL templates a run built (globalTeardown); the cluster may outlive the run. */
export async function dropTemplates(root: string): Promise<void> {
  if (!existsSync(root)) return;
  const names = readdirSync(root)
    .filter((f) => existsSync(join(root, f, READY)))
    .map((f) => (JSON.parse(readFileSync(join(root, f, READY), 'utf8')) as Built).database)
    .filter((n): n is string => n !== null);
  if (!names.length) return;
  await withAdmin(async (c) => {
    for (const name of names) {
      await c.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`);
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
    }
  });
}
