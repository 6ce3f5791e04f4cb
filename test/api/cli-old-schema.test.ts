/**
 * Follow-up fix: the offline CLI commands (`audit verify --db`, `unblinding …`, `replay …`) on a
 * database the previous release made (before migrations 004–008) print one line naming the database
 * and saying how to upgrade it — not a raw SQL error from the first query on a missing table. They
 * never write, so they do not migrate; the server migrates the same database in place at start.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { downStatements, STEPS } from '../../server/src/database/migrations/index.js';
import { openRawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

const FIRST_NEW = STEPS.findIndex((s) => s.name === 'SealedAudit1764070000004');

describe(`offline CLI on a database of the previous release (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let target: string[];
  let name: string;

  beforeAll(async () => {
    t = await startTestApp({}, { demo: false });
    const exited = new Promise((r) => t.child.once('exit', r));
    t.child.send({ type: 'close' });
    await exited;
    // Undo migrations 004 onwards, newest first: the schema the previous release left.
    const raw = await openRawDb(t.config);
    const dialect = t.config.database.dialect;
    for (const step of STEPS.slice(FIRST_NEW).reverse()) {
      for (const statement of downStatements(step, dialect)) await raw.run(statement);
      await raw.run('DELETE FROM schema_migrations WHERE name = ?', [step.name]);
    }
    await raw.close();
    const db = t.config.database;
    target = db.dialect === 'sqlite' ? ['--db', db.path] : ['--database-url', db.url];
    name = db.dialect === 'sqlite' ? `the database file ${db.path}` : 'the PostgreSQL database';
  });
  afterAll(async () => {
    await t?.close();
  });

  it('`audit verify` prints one line naming the database and what to do, exit 1 [REL-006]', () => {
    const r = spawnSync('node', [CLI, 'audit', 'verify', ...target], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', SIGNING_KEY_PATH: t.config.signingKeyPath },
    });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`error: ${name}`);
    expect(lines[0]).toContain(`missing, first ${STEPS[FIRST_NEW].name}`);
    expect(lines[0]).toContain('start the server once on it');
    expect(r.stderr).not.toMatch(/no such table|does not exist|SqliteError| {4}at /);
  });
});
