/**
 * Start-up tells the truth (issue 12, Build-2, 5, 6): each fault stops `node main.js` with exit
 * code 1 and ONE line on stderr naming the problem, and leaves every file exactly as it was.
 * Read-only and full disks are real kernel faults: a small tmpfs mounted for the test (this needs
 * root; mount -o remount,ro for the read-only one, a filler file until ENOSPC for the full one).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freePort } from '../support/ports.js';
import { startServer, waitForHealth } from '../support/server-process.js';
import { Api, DEMO_PASSWORD } from '../support/test-app.js';

const MAIN = join(process.cwd(), 'dist', 'server', 'src', 'main.js');
const CLI = join(process.cwd(), 'dist', 'server', 'src', 'cli', 'run.js');
const FILES = ['blindrand.sqlite', 'audit-signing.key', 'audit-checkpoints.jsonl'];

/** Every file of a folder and its SHA-256 (SQLite's shared-memory index excluded: it holds no data). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('-shm') || name === 'filler' || name === 'lost+found') continue;
    const path = join(dir, name);
    if (name.endsWith('-wal') && statSync(path).size === 0) continue;
    out[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

function startOnce(env: Record<string, string>): { status: number | null; lines: string[]; stdout: string } {
  const r = spawnSync('node', [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, lines: r.stderr.trim().split('\n').filter(Boolean), stdout: r.stdout };
}

function envFor(dir: string): Record<string, string> {
  return { DATABASE_PATH: join(dir, 'blindrand.sqlite'), DEMO_PASSWORD, CHECKPOINT_EVERY: '5', AUTH_THROTTLE_PER_MINUTE: '100000' };
}

/** Starts on `dir`, expects the refusal, and checks that nothing was written. */
function expectRefusal(dir: string, pattern: RegExp, env: Record<string, string> = {}): string {
  const before = snapshot(dir);
  const r = startOnce({ ...envFor(dir), ...env });
  expect(r.status).toBe(1);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatch(/^blindrand: cannot start: /);
  expect(r.lines[0]).toMatch(pattern);
  expect(r.lines[0]).toMatch(/nothing was written/);
  expect(r.stdout).toBe('');
  expect(snapshot(dir)).toEqual(before);
  console.log(`refused: ${r.lines[0]}`);
  return r.lines[0];
}

function mountTmpfs(dir: string, size: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}

describe('start-up refuses, in one line and writing nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'blindrand-startup-'));
  const template = join(root, 'template');
  const mounts: string[] = [];
  let n = 0;

  /** A copy of the seeded database, key and checkpoint file in a fresh folder (or a given one). */
  function copyTemplate(dir = join(root, `case-${n++}`)): string {
    mkdirSync(dir, { recursive: true });
    for (const f of FILES) copyFileSync(join(template, f), join(dir, f));
    return dir;
  }

  beforeAll(async () => {
    mkdirSync(template);
    // A demo database with signed checkpoints (CHECKPOINT_EVERY=5), stopped cleanly.
    const s = await startServer(envFor(template));
    await s.kill('SIGTERM');
    const db = new Database(join(template, 'blindrand.sqlite'), { readonly: true });
    const checkpoints = Number((db.prepare('SELECT COUNT(*) AS n FROM audit_checkpoints').get() as { n: number }).n);
    db.close();
    expect(checkpoints).toBeGreaterThan(0);
  }, 60_000);

  afterAll(() => {
    for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
    rmSync(root, { recursive: true, force: true });
  });

  it('a deleted key over signed history: refused, and no new key is created', () => {
    const dir = copyTemplate();
    rmSync(join(dir, 'audit-signing.key'));
    expectRefusal(dir, /signing key file \S+audit-signing\.key is missing, but the database holds \d+ audit entries, [1-9]\d* signed checkpoints/);
    expect(existsSync(join(dir, 'audit-signing.key'))).toBe(false);
  });

  it('an empty key file names the file (not a DECODER error)', () => {
    const dir = copyTemplate();
    writeFileSync(join(dir, 'audit-signing.key'), '');
    const line = expectRefusal(dir, /signing key file \S+audit-signing\.key is empty/);
    expect(line).not.toMatch(/DECODER|error:1E/);
  });

  it('a corrupt key file names the file', () => {
    const dir = copyTemplate();
    writeFileSync(join(dir, 'audit-signing.key'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    expectRefusal(dir, /signing key file \S+audit-signing\.key is corrupt/);
  });

  it('another key in place of the key of record is refused', () => {
    const dir = copyTemplate();
    writeFileSync(join(dir, 'audit-signing.key'), generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    expectRefusal(dir, /signing key file \S+audit-signing\.key is not the key that signed this database's checkpoints/);
  });

  it('a torn last line of the checkpoint file is named with its line number', () => {
    const dir = copyTemplate();
    const file = join(dir, 'audit-checkpoints.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    appendFileSync(file, '{"size":95,"headHash":"ab');
    expectRefusal(dir, new RegExp(`checkpoint file \\S+audit-checkpoints\\.jsonl has a torn or damaged line ${lines + 1}`));
  });

  it('a read-only database (a tmpfs remounted read-only)', () => {
    const dir = join(root, 'ro');
    mountTmpfs(dir, '32m');
    mounts.push(dir);
    copyTemplate(dir);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    expectRefusal(dir, /database file \S+blindrand\.sqlite is read-only/);
  });

  it('a full disk (a 16 MB tmpfs filled to ENOSPC)', () => {
    const dir = join(root, 'full');
    mountTmpfs(dir, '16m');
    mounts.push(dir);
    copyTemplate(dir);
    spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=1M', 'count=64'], { stdio: 'ignore' });
    expectRefusal(dir, /disk holding \S+blindrand\.sqlite is full \(\d+ KiB free/);
  });

  it('a database restored from a backup behind its checkpoint file; `audit reanchor` accepts it on the record', async () => {
    const dir = copyTemplate();
    const backup = join(root, 'backup.sqlite');
    copyFileSync(join(dir, 'blindrand.sqlite'), backup);
    // The live database moves on: sign-ins are audited, so five of them seal another checkpoint.
    const s = await startServer(envFor(dir));
    const api = new Api(s.baseUrl);
    for (let i = 0; i < 6; i++) await api.login('auditor');
    await s.kill('SIGTERM');
    copyFileSync(backup, join(dir, 'blindrand.sqlite'));
    expectRefusal(dir, /database looks restored from a backup: the checkpoint file \S+audit-checkpoints\.jsonl holds a signed checkpoint at entry \d+, but the database's audit chain ends at entry \d+/);

    const re = spawnSync('node', [CLI, 'audit', 'reanchor', '--reason', 'restored the backup of the morning after a disk loss'], { env: { ...process.env, ...envFor(dir) }, encoding: 'utf8' });
    expect(re.stderr).toBe('');
    expect(re.status).toBe(0);
    expect(re.stdout).toMatch(/re-anchored: \d+ checkpoint\(s\) of the old file recorded in the audit trail; old file kept as/);
    const kept = readdirSync(dir).filter((f) => f.startsWith('audit-checkpoints.jsonl.before-reanchor-'));
    expect(kept).toHaveLength(1);

    const again = await startServer(envFor(dir));
    try {
      const a = new Api(again.baseUrl);
      const token = await a.login('auditor');
      const verify = await a.get('/api/audit/verify', token);
      expect(verify.body.valid).toBe(true);
      const entries = (await a.get('/api/audit?action=audit.reanchored', token)).body.entries;
      expect(entries).toHaveLength(1);
      expect(entries[0].reason).toMatch(/disk loss/);
      expect(entries[0].details.lostCheckpoints.length).toBeGreaterThan(0);
    } finally {
      await again.kill('SIGTERM');
    }
  }, 90_000);
});

describe('demo start-up is one step', () => {
  const root = mkdtempSync(join(tmpdir(), 'blindrand-demo-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Starts main.js on `dir` without a DEMO_PASSWORD and kills it -9 once `killWhen` matches its output (or after that many ms). */
  async function startAndKill(dir: string, killWhen: RegExp | number): Promise<string> {
    const port = await freePort();
    const child = spawn('node', [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'blindrand.sqlite') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    if (typeof killWhen === 'number') setTimeout(() => child.kill('SIGKILL'), killWhen);
    await new Promise<void>((resolve) => {
      const check = (d: Buffer) => {
        out += d;
        if (killWhen instanceof RegExp && killWhen.test(out)) child.kill('SIGKILL');
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', () => resolve());
    });
    return out;
  }

  it('killed right after the password is shown, or before: the restart completes and a shown password signs in', async () => {
    for (const [i, killWhen] of [/demo password: /, 2500].entries()) {
      const dir = join(root, `kill-${i}`);
      mkdirSync(dir);
      const first = await startAndKill(dir, killWhen);
      const port = await freePort();
      const child = spawn('node', [MAIN], { env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'blindrand.sqlite') }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      try {
        await waitForHealth(`http://127.0.0.1:${port}`);
        const shown = [...`${first}\n${out}`.matchAll(/demo password: (\S+)/g)].map((m) => m[1]);
        expect(shown.length).toBeGreaterThan(0);
        const api = new Api(`http://127.0.0.1:${port}`);
        let token: string | null = null;
        for (const p of shown) token ??= (await api.post('/api/auth/login', { username: 'admin', password: p })).body.accessToken ?? null;
        expect(token).not.toBeNull();
        const study = await api.get('/api/study', token!);
        console.log(`demo killed at ${killWhen}: passwords shown ${shown.length}, study ${study.body.status}`);
        expect(study.body.status).toBe('active');
        expect(out).not.toMatch(/error|fatal/i);
      } finally {
        child.kill('SIGTERM');
      }
    }
  }, 120_000);

  it('three instances starting with the demo on one PostgreSQL: all start, the demo exists once, no raw duplicate-key error', async () => {
    const admin = process.env.PG_ADMIN_URL;
    if (!admin) throw new Error('PG_ADMIN_URL is required (npm test starts a PostgreSQL cluster and sets it)');
    const name = `demo3_${process.pid}_${Date.now()}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const env = { DATABASE_URL: url.toString(), SIGNING_KEY_PATH: join(root, 'pg', 'audit-signing.key'), DEMO_PASSWORD };
    const started = await Promise.allSettled([0, 1, 2].map(() => startServer(env)));
    const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      expect(failures).toEqual([]);
      const outputs = servers.map((s) => s.output()).join('\n');
      expect(outputs).not.toMatch(/duplicate key|unique constraint/i);
      expect(outputs.match(/demo data created/g)).toHaveLength(1);
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
      const users = await count('SELECT COUNT(*) AS n FROM users');
      const sites = await count('SELECT COUNT(*) AS n FROM sites');
      const schemes = await count('SELECT COUNT(*) AS n FROM schemes');
      await db.end();
      console.log(`three instances: ${servers.length} started; users=${users}, sites=${sites}, schemes=${schemes}`);
      expect(sites).toBe(2);
      expect(schemes).toBe(1);
      expect(users).toBeGreaterThan(0);
      for (const s of servers) expect((await new Api(s.baseUrl).post('/api/auth/login', { username: 'admin', password: DEMO_PASSWORD })).status).toBe(200);
    } finally {
      for (const s of servers) await s.kill('SIGTERM');
    }
  }, 120_000);
});
