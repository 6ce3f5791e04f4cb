/**
 * Upgrade in place (issue 16 Build 3): a database made by an earlier release (the fixture in
 * test/fixtures/upgrade/, made by its make-fixture.mjs through the real server's API) is started with
 * today's server. Every migration since the fixture's commit runs at start; the audit chain then
 * verifies through the API and the offline CLI with the old entries unchanged (the old head is a
 * prefix of the new chain); every row of record the fixture's summary lists is still there with the
 * same values; new work is chained on; blinded views still hide the arms. Any later migration that
 * breaks an existing study's history fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import type { DatabaseConfig } from '../../server/src/config/config.js';
import { runCli } from '../../server/src/cli/main.js';
import { STEPS } from '../../server/src/database/migrations/index.js';
import { blindedVocabulary, demoProtocol, leakHits, newParticipant, randomize } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { createPostgresDatabase } from '../support/postgres-db.js';
import { Api, usingPostgres } from '../support/test-app.js';
import {
  KEPT_TABLES,
  snapshotChain,
  snapshotTable,
  type ChainSnapshot,
  type TableSnapshot,
} from './fixtures/upgrade-snapshot.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

const FIXTURE = join(process.cwd(), 'test', 'fixtures', 'upgrade');

interface DialectSummary {
  migrations: string[];
  chain: ChainSnapshot;
  counts: Record<string, number>;
  study: { code: string; status: string };
  tables: Record<string, TableSnapshot>;
}
const summary = JSON.parse(readFileSync(join(FIXTURE, 'summary.json'), 'utf8')) as {
  commit: string;
  password: string;
} & Record<'sqlite' | 'postgres', DialectSummary>;
const dialect = usingPostgres ? 'postgres' : 'sqlite';
const made = summary[dialect];

/** Runs one CLI command in this process (the same code as the binary), collecting its output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The fixture's database in a fresh place: the SQLite file unzipped, or the dump replayed into a new database. */
async function restoreFixture(dir: string): Promise<{ env: Record<string, string>; database: DatabaseConfig }> {
  for (const f of ['audit-signing.key', 'audit-checkpoints.jsonl'])
    copyFileSync(join(FIXTURE, dialect, f), join(dir, f));
  const keys = {
    SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
    CHECKPOINT_LOG_PATH: join(dir, 'audit-checkpoints.jsonl'),
  };
  if (!usingPostgres) {
    const path = join(dir, 'blindrand.sqlite');
    writeFileSync(path, gunzipSync(readFileSync(join(FIXTURE, 'sqlite', 'blindrand.sqlite.gz'))));
    return {
      env: { ...keys, DATABASE_PATH: path },
      database: { dialect: 'sqlite', path, busyTimeoutMs: 5000, synchronous: 'FULL' },
    };
  }
  const url = await createPostgresDatabase('upgrade');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(gunzipSync(readFileSync(join(FIXTURE, 'postgres', 'dump.sql.gz'))).toString('utf8'));
  } finally {
    await client.end();
  }
  return { env: { ...keys, DATABASE_URL: url }, database: { dialect: 'postgres', url } };
}

describe(`a database made by commit ${summary.commit.slice(0, 7)} upgrades in place (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let dir: string;
  let server: ServerProcess;
  let api: Api;
  let raw: RawDb;
  let env: Record<string, string>;
  let database: DatabaseConfig;
  const tokens: Record<string, string> = {};
  const vocabulary = blindedVocabulary(demoProtocol());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blindrand-upgrade-'));
    ({ env, database } = await restoreFixture(dir));
    server = await startServer({ ...env, DEMO: 'false', AUTH_THROTTLE_PER_MINUTE: '100000' });
    api = new Api(server.baseUrl);
    raw = await openRawDb({ database } as never);
    for (const u of ['randstat', 'investigator1', 'investigator2', 'pharmacist', 'monitor', 'auditor', 'statistician'])
      tokens[u] = await api.login(u, summary.password);
  });
  afterAll(async () => {
    await raw?.close();
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every migration of this build ran at start, after the fixture’s own, in order [UPG-001]', async () => {
    const applied = (await raw.all('SELECT name FROM schema_migrations ORDER BY id')).map((r) => String(r.name));
    expect(applied.slice(0, made.migrations.length)).toEqual(made.migrations);
    // TypeORM runs pending migrations by their timestamp; every one of this build is there, once.
    expect([...applied].sort()).toEqual(STEPS.map((s) => s.name).sort());
    expect(made.study).toEqual({ code: 'MSCT-MS', status: 'active' });
  });

  it('the audit chain verifies through the API and the offline CLI, the old chain a prefix of the new [UPG-002]', async () => {
    expect(await snapshotChain(raw, made.chain.length)).toEqual(made.chain);
    const verify = await api.get('/api/audit/verify', tokens.auditor);
    expect(verify.body).toMatchObject({ valid: true, firstInvalidSeq: null });
    expect(verify.body.count).toBeGreaterThanOrEqual(made.chain.length);
    const target = usingPostgres ? ['--database-url', env.DATABASE_URL] : ['--db', env.DATABASE_PATH];
    const cli = spawnSync('node', [CLI, 'audit', 'verify', ...target, '--json', '--study', made.study.code], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        SIGNING_KEY_PATH: env.SIGNING_KEY_PATH,
        CHECKPOINT_LOG_PATH: env.CHECKPOINT_LOG_PATH,
      },
    });
    expect([cli.status, cli.stderr]).toEqual([0, '']);
    const offline = JSON.parse(cli.stdout);
    expect(offline).toMatchObject({ valid: true, problems: [] });
    expect(offline.count).toBeGreaterThanOrEqual(made.chain.length);
    // the fixture's checkpoints, signed by the old key, still verify against the chain
    expect(offline.checkpoint).toMatchObject({ signatureValid: true, matches: true });
  });

  it('every row of record the fixture holds is still there with the same values [UPG-003]', async () => {
    for (const table of KEPT_TABLES) {
      const old = made.tables[table];
      const now = (await snapshotTable(raw, table, old.columns)).rows;
      const missing = old.rows.filter((digest) => !now.includes(digest));
      expect({ table, missing }).toEqual({ table, missing: [] });
    }
    // and the API still serves them
    const participants = await api.get('/api/participants', tokens.monitor);
    expect(participants.body).toHaveLength(made.counts.participants);
    const log = await api.get('/api/allocation-log', tokens.randstat);
    expect(log.body.map((r: any) => r.randomizationNumber)).toEqual([1, 2, 3, 4, 5].slice(0, made.counts.allocations));
    const register = await api.get('/api/unblinding-register', tokens.auditor);
    expect(register.status).toBe(200);
    const checkpoints = await api.get('/api/audit/checkpoints', tokens.auditor);
    expect(checkpoints.body.length).toBeGreaterThanOrEqual(made.counts.checkpoints);
    for (const { id } of await raw.all('SELECT id FROM signatures')) {
      const v = await api.get(`/api/signatures/${id}/verification`, tokens.auditor);
      expect({ id, valid: v.body.valid }).toEqual({ id, valid: true });
    }
  });

  it('every study-scoped offline command takes --study: the right code works, an unknown one exits 2 naming the known codes, none defaults to the only study and says so [UPG-006]', async () => {
    const target = usingPostgres ? ['--database-url', env.DATABASE_URL] : ['--db', env.DATABASE_PATH];
    const keys = ['--key', env.SIGNING_KEY_PATH, '--checkpoint-file', env.CHECKPOINT_LOG_PATH];
    const commands: Array<[string[], number]> = [
      [['replay', ...target], 0],
      [['export', 'allocation-log', ...target], 0],
      [['unblinding', 'register', ...target], 0],
      [['audit', 'verify', ...target, ...keys], 0],
      // the CDISC export still refuses an active study, after the study check
      [['export', 'cdisc', ...target], 1],
    ];
    for (const [args, ok] of commands) {
      const right = await cli(...args, '--study', made.study.code);
      expect({ args, code: right.code, note: right.stderr.includes('note:') }).toEqual({ args, code: ok, note: false });
      const wrong = await cli(...args, '--study', 'NO-SUCH-STUDY');
      expect({ args, code: wrong.code, stdout: wrong.stdout, stderr: wrong.stderr }).toEqual({
        args,
        code: 2,
        stdout: '',
        stderr: `error: no study with the code "NO-SUCH-STUDY" in this database (it holds: ${made.study.code})\n`,
      });
      const implicit = await cli(...args);
      expect({ args, code: implicit.code }).toEqual({ args, code: ok });
      expect(implicit.stderr).toContain(`note: --study not given; using the database's only study, ${made.study.code}`);
      expect((await cli(...args.slice(0, args[0] === 'replay' ? 1 : 2), '--help')).stdout).toContain('--study <code>');
    }
  });

  it('a new randomization is chained on and the chain still verifies; blinded views hide the arms [UPG-004]', async () => {
    const id = await newParticipant(api, tokens.investigator2, { site: 'B' });
    const res = await randomize(api, tokens.investigator2, id, `upgrade-${process.pid}`, summary.password);
    expect(res.status).toBe(201);
    expect(res.body.randomizationNumber).toBe(made.counts.allocations + 1);
    expect(leakHits(res.text, vocabulary)).toEqual([]);
    const verify = await api.get('/api/audit/verify', tokens.auditor);
    expect(verify.body).toMatchObject({ valid: true, firstInvalidSeq: null });
    expect(await snapshotChain(raw, made.chain.length)).toEqual(made.chain);
    for (const u of ['investigator1', 'monitor', 'auditor', 'statistician']) {
      const list = await api.get('/api/participants', tokens[u]);
      expect(list.status).toBe(200);
      expect({ u, hits: leakHits(list.text, vocabulary) }).toEqual({ u, hits: [] });
    }
    const blindedLog = await api.get('/api/allocation-log', tokens.auditor);
    expect(leakHits(blindedLog.text, vocabulary)).toEqual([]);
    const audit = await api.get('/api/audit', tokens.auditor);
    expect(leakHits(audit.text, vocabulary)).toEqual([]);
  });

  it('with a second study in the database, --study is required and the message names both codes [UPG-006]', async () => {
    // A copy of the study row under another code: what the multi-study layout will hold (docs/MULTI-STUDY.md).
    const columns = made.tables.study.columns;
    const values = columns.map((c) => (c === 'id' ? '2' : c === 'code' ? "'OTHER-2'" : c));
    await raw.run(`INSERT INTO study (${columns.join(', ')}) SELECT ${values.join(', ')} FROM study WHERE id = 1`);
    const target = usingPostgres ? ['--database-url', env.DATABASE_URL] : ['--db', env.DATABASE_PATH];
    const implicit = await cli('replay', ...target);
    expect([implicit.code, implicit.stdout, implicit.stderr]).toEqual([
      2,
      '',
      `error: this database holds several studies: give --study with one of ${made.study.code}, OTHER-2\n`,
    ]);
    expect((await cli('replay', ...target, '--study', made.study.code)).code).toBe(0);
    // the second row has no records of its own: its log is empty, never the first study's records under its code
    const other = await cli('export', 'allocation-log', ...target, '--study', 'OTHER-2');
    expect([other.code, other.stderr]).toEqual([0, '']);
    expect(other.stdout.trim().split('\n')).toHaveLength(1);
    const first = await cli('export', 'allocation-log', ...target, '--study', made.study.code);
    expect(first.stdout.trim().split('\n').length).toBeGreaterThan(1);
  });
});

describe(`a database migrated by a newer release is refused (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  const FUTURE = 'FutureRelease1799999999999';
  let dir: string;
  let env: Record<string, string>;
  let raw: RawDb;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blindrand-upgrade-'));
    const restored = await restoreFixture(dir);
    env = restored.env;
    // Today's server migrates it, then a "newer release" adds a migration this build does not know.
    const server = await startServer({ ...env, DEMO: 'false' });
    await server.kill();
    raw = await openRawDb({ database: restored.database } as never);
    await raw.run('INSERT INTO schema_migrations (timestamp, name) VALUES (?, ?)', [1799999999999, FUTURE]);
  });
  afterAll(async () => {
    await raw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the server refuses to start with one line naming the unknown migration, and writes nothing [UPG-005]', async () => {
    const head = await snapshotChain(raw);
    const failure = await startServer({ ...env, DEMO: 'false' }).then(
      async (s) => (await s.kill(), 'started'),
      (err: Error) => err.message,
    );
    expect(failure).toContain('was migrated by a newer release of blindrand');
    expect(failure).toContain(`first ${FUTURE}`);
    expect(failure).toContain('nothing was written');
    expect(failure).not.toMatch(/ {4}at /);
    expect(await snapshotChain(raw)).toEqual(head);
  });

  it('the offline CLI refuses it too, naming the database [UPG-005]', () => {
    const target = usingPostgres ? ['--database-url', env.DATABASE_URL] : ['--db', env.DATABASE_PATH];
    const cli = spawnSync('node', [CLI, 'audit', 'verify', ...target], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', SIGNING_KEY_PATH: env.SIGNING_KEY_PATH },
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toContain(`was migrated by a newer release of blindrand`);
    expect(cli.stderr).toContain(FUTURE);
  });
});
