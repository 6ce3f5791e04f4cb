/**
 * Start-up tells the truth (issue 12, Build-2, 5, 6): each fault stops `node main.js` with exit
 * code 1 and ONE line on stderr naming the problem, and leaves every file exactly as it was.
 * Read-only and full disks are real kernel faults: a small tmpfs mounted for the test (this needs
 * root; mount -o remount,ro for the read-only one, a filler file until ENOSPC for the full one).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, verify as edVerify } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freePort } from '../support/ports.js';
import { createPostgresDatabase, postgresAdminUrl, postgresUrlFor } from '../support/postgres-db.js';
import { startServer, waitForHealth, type ServerProcess } from '../support/server-process.js';
import { Api, DEMO_PASSWORD } from '../support/test-app.js';
import { demoTotp } from '../support/env.js';
import { SERVER_ENTRY as MAIN, CLI_ENTRY as CLI } from '../support/index.js';

// What an operator keeps (docs/DEPLOYMENT.md): the database, the signing key, the checkpoint file and the second-factor key.
const FILES = ['blindrand.sqlite', 'audit-signing.key', 'audit-checkpoints.jsonl', 'second-factor.key'];

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
  const r = spawnSync('node', [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, lines: r.stderr.trim().split('\n').filter(Boolean), stdout: r.stdout };
}

function envFor(dir: string): Record<string, string> {
  return {
    DATABASE_PATH: join(dir, 'blindrand.sqlite'),
    DEMO_PASSWORD,
    CHECKPOINT_EVERY: '5',
    AUTH_THROTTLE_PER_MINUTE: '100000',
  };
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
    const s = await startPatiently(envFor(template));
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

  it('a deleted key over signed history: refused, and no new key is created [AUDIT-010]', () => {
    const dir = copyTemplate();
    rmSync(join(dir, 'audit-signing.key'));
    expectRefusal(
      dir,
      /signing key file \S+audit-signing\.key is missing, but the database holds \d+ audit entries, [1-9]\d* signed checkpoints/,
    );
    expect(existsSync(join(dir, 'audit-signing.key'))).toBe(false);
  });

  it('an empty key file names the file (not a DECODER error) [AUDIT-010]', () => {
    const dir = copyTemplate();
    writeFileSync(join(dir, 'audit-signing.key'), '');
    const line = expectRefusal(dir, /signing key file \S+audit-signing\.key is empty/);
    expect(line).not.toMatch(/DECODER|error:1E/);
  });

  it('a corrupt key file names the file [AUDIT-010]', () => {
    const dir = copyTemplate();
    writeFileSync(
      join(dir, 'audit-signing.key'),
      '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n',
    );
    expectRefusal(dir, /signing key file \S+audit-signing\.key is corrupt/);
  });

  it('another key in place of the key of record is refused [AUDIT-010]', () => {
    const dir = copyTemplate();
    writeFileSync(
      join(dir, 'audit-signing.key'),
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    expectRefusal(dir, /signing key file \S+audit-signing\.key is not the key that signed this database's checkpoints/);
  });

  it('a torn last line of the checkpoint file is named with its line number; after `audit repair-checkpoint-file` the server starts [REL-004]', async () => {
    const dir = copyTemplate();
    const file = join(dir, 'audit-checkpoints.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    appendFileSync(file, '{"size":95,"headHash":"ab');
    expectRefusal(
      dir,
      new RegExp(
        `checkpoint file \\S+audit-checkpoints\\.jsonl has a torn last line ${lines + 1} \\(a write cut short\\): move it aside with \`blindrand audit repair-checkpoint-file\``,
      ),
    );
    // After the CLI's repair (which keeps the torn line aside), the server starts again.
    const repaired = spawnSync('node', [CLI, 'audit', 'repair-checkpoint-file', '--file', file], { encoding: 'utf8' });
    expect(repaired.status).toBe(0);
    const s = await startPatiently(envFor(dir));
    await s.kill('SIGTERM');
  });

  it('a read-only database (a tmpfs remounted read-only) [REL-004]', () => {
    const dir = join(root, 'ro');
    mountTmpfs(dir, '32m');
    mounts.push(dir);
    copyTemplate(dir);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    expectRefusal(dir, /database file \S+blindrand\.sqlite is read-only/);
  });

  it('a full disk (a 16 MB tmpfs filled to ENOSPC) [REL-004]', () => {
    const dir = join(root, 'full');
    mountTmpfs(dir, '16m');
    mounts.push(dir);
    copyTemplate(dir);
    spawnSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=1M', 'count=64'], { stdio: 'ignore' });
    expectRefusal(dir, /disk holding \S+blindrand\.sqlite is full \(\d+ KiB free/);
  });

  it('a database restored from a backup behind its checkpoint file; `audit reanchor` accepts it on the record [REL-003]', async () => {
    const dir = copyTemplate();
    const backup = join(root, 'backup.sqlite');
    copyFileSync(join(dir, 'blindrand.sqlite'), backup);
    // The live database moves on: sign-ins are audited (in the instance chain, 0), so five of them seal another
    // checkpoint of that chain; start-up checks every chain against the file.
    const s = await startPatiently(envFor(dir));
    const api = new Api(s.baseUrl);
    for (let i = 0; i < 6; i++) await api.login('auditor');
    await s.kill('SIGTERM');
    copyFileSync(backup, join(dir, 'blindrand.sqlite'));
    expectRefusal(
      dir,
      /database looks restored from a backup: the checkpoint file \S+audit-checkpoints\.jsonl holds a signed checkpoint of the instance chain \(0\) at entry \d+, but the database's instance chain \(0\) ends at entry \d+/,
    );

    const re = spawnSync(
      'node',
      [CLI, 'audit', 'reanchor', '--reason', 'restored the backup of the morning after a disk loss'],
      { env: { ...process.env, ...envFor(dir) }, encoding: 'utf8' },
    );
    expect(re.stderr).toBe('');
    expect(re.status).toBe(0);
    expect(re.stdout).toMatch(
      /re-anchored: \d+ checkpoint\(s\) of the old file recorded in the audit trail; old file kept as/,
    );
    const kept = readdirSync(dir).filter((f) => f.startsWith('audit-checkpoints.jsonl.before-reanchor-'));
    expect(kept).toHaveLength(1);

    const again = await startPatiently(envFor(dir));
    try {
      const a = new Api(again.baseUrl);
      const token = await a.login('auditor');
      const verify = await a.get('/api/audit/verify', token);
      expect(verify.body.valid).toBe(true);
      const entries = (await a.get('/api/audit?action=audit.reanchored', token)).body.entries;
      expect(entries).toHaveLength(1);
      expect(entries[0].reason).toMatch(/disk loss/);
      expect(entries[0].details.lostCheckpoints.length).toBeGreaterThan(0);
      // The lost checkpoints were the instance chain's: the record names it, and that chain verifies again.
      expect(entries[0].details.lostCheckpoints.every((cp: { chain?: number }) => cp.chain === 0)).toBe(true);
      expect((await a.get('/api/admin/audit/verify', token)).body.valid).toBe(true);
      // A blinded reader sees the lost heads' sizes and times, never their hashes (sealed: a legacy head tests guesses).
      expect(JSON.stringify(entries[0].details.lostCheckpoints)).not.toMatch(/headHash/);
      expect(Object.keys(entries[0].details.unblinded)).toEqual(['commitment']);
    } finally {
      await again.kill('SIGTERM');
    }
  }, 90_000);
});

describe('demo start-up is one step [REL-008]', () => {
  const root = mkdtempSync(join(tmpdir(), 'blindrand-demo-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Starts main.js on `dir` without a DEMO_PASSWORD and kills it -9 once `killWhen` matches its output (or after that many ms). */
  async function startAndKill(dir: string, killWhen: RegExp | number): Promise<string> {
    const port = await freePort();
    const child = spawn('node', [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: join(dir, 'blindrand.sqlite'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      const child = spawn('node', [MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_PATH: join(dir, 'blindrand.sqlite'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      try {
        await waitForHealth(`http://127.0.0.1:${port}`, 120_000);
        const shown = [...`${first}\n${out}`.matchAll(/demo password: (\S+)/g)].map((m) => m[1]);
        expect(shown.length).toBeGreaterThan(0);
        const api = new Api(`http://127.0.0.1:${port}`);
        let token: string | null = null;
        for (const p of shown)
          token ??=
            (await api.post('/api/auth/login', { username: 'admin', password: p, totp: demoTotp() })).body
              .accessToken ?? null;
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
    const url = await createPostgresDatabase('demo3');
    const env = { DATABASE_URL: url, SIGNING_KEY_PATH: join(root, 'pg', 'audit-signing.key'), DEMO_PASSWORD };
    const started = await Promise.allSettled([0, 1, 2].map(() => startPatiently(env)));
    const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      const failures = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      expect(failures).toEqual([]);
      const outputs = servers.map((s) => s.output()).join('\n');
      expect(outputs).not.toMatch(/duplicate key|unique constraint/i);
      expect(outputs.match(/demo data created/g)).toHaveLength(1);
      const db = new pg.Client({ connectionString: url });
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
      for (const s of servers)
        expect(
          (
            await new Api(s.baseUrl).post('/api/auth/login', {
              username: 'admin',
              password: DEMO_PASSWORD,
              totp: demoTotp(),
            })
          ).status,
        ).toBe(200);
    } finally {
      for (const s of servers) await s.kill('SIGTERM');
    }
  }, 240_000);
});

describe('key rotation: explicit, signed by both keys, audited; old checkpoints and signatures still verify [AUDIT-010]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-rotate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) =>
    spawnSync('node', [CLI, ...args], { env: { ...process.env, ...envFor(dir) }, encoding: 'utf8' });
  const keyPath = join(dir, 'audit-signing.key');

  it('rotate, restart, verify with the new key and with the old published key; a key added through the database alone is refused', async () => {
    // A signed activation (an e-signature sealed by the first key), then checkpoints.
    let s = await startPatiently({ ...envFor(dir), DEMO_STUDY_STATUS: 'setup' });
    let api = new Api(s.baseUrl);
    const activated = await api.post(
      '/api/study/activate',
      { signature: { password: DEMO_PASSWORD } },
      await api.login('randstat'),
    );
    expect(activated.status).toBe(200);
    const auditor = await api.login('auditor');
    const entry = (await api.get('/api/audit?action=study.activated', auditor)).body.entries[0];
    const signatureId = entry.details.signatureId as string;
    expect(signatureId).toBeTruthy();
    await s.kill('SIGTERM');
    const oldKey = readFileSync(keyPath, 'utf8');
    const oldPublic = new Database(join(dir, 'blindrand.sqlite'), { readonly: true });
    const oldPublicKey = String(
      (
        oldPublic.prepare('SELECT public_key FROM audit_checkpoints ORDER BY size DESC LIMIT 1').get() as {
          public_key: string;
        }
      ).public_key,
    );
    oldPublic.close();

    const rotated = cli(['key', 'rotate', '--reason', 'yearly rotation of the signing key']);
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/^rotated: the new key in \S+ signs from chain size \d+/);
    expect(readFileSync(keyPath, 'utf8')).not.toBe(oldKey);
    expect(readdirSync(dir).filter((f) => f.startsWith('audit-signing.key.retired-'))).toHaveLength(1);

    // The server starts with the new key; new checkpoints are signed by it; everything verifies.
    s = await startPatiently(envFor(dir));
    api = new Api(s.baseUrl);
    for (let i = 0; i < 6; i++) await api.login('auditor');
    const token = await api.login('auditor');
    const verify = await api.get('/api/audit/verify', token);
    // Sign-ins are in the instance chain (0): its checkpoints were signed by the old key, then by the new one.
    const instance = await api.get('/api/admin/audit/verify', token);
    const signature = await api.get(`/api/signatures/${signatureId}/verification`, token);
    const rotation = (await api.get('/api/audit?action=audit.key_rotated', token)).body.entries;
    await s.kill('SIGTERM');
    console.log(
      `after rotation: chain valid=${verify.body.valid} (${verify.body.count} entries, problems: ${verify.body.problems.join('; ') || 'none'}); signature sealed before rotation valid=${signature.body.valid}`,
    );
    expect(verify.body.valid).toBe(true);
    expect(instance.body).toMatchObject({ valid: true, checkpoint: { signatureValid: true } });
    expect(signature.body.valid).toBe(true);
    expect(rotation).toHaveLength(1);
    expect(rotation[0].reason).toMatch(/yearly rotation/);

    const db = join(dir, 'blindrand.sqlite');
    const withNew = cli(['audit', 'verify', '--db', db, '--key', keyPath]);
    expect(withNew.status).toBe(0);
    const withOldPublished = cli(['audit', 'verify', '--db', db, '--public-key', oldPublicKey]);
    expect(withOldPublished.stdout).toMatch(/^VALID/);
    expect(withOldPublished.status).toBe(0);
    const instanceWithOld = cli(['audit', 'verify', '--instance', '--db', db, '--public-key', oldPublicKey]);
    expect(instanceWithOld.stdout).toMatch(/^VALID/);
    expect(instanceWithOld.status).toBe(0);

    // A database-only attacker adds a "rotation" to a key of their own and signs a checkpoint with it.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const attackerKey = (publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
    const rw = new Database(db);
    const head = rw.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string };
    const currentKey = String(
      (rw.prepare('SELECT public_key FROM signing_keys ORDER BY id DESC LIMIT 1').get() as { public_key: string })
        .public_key,
    );
    const at = new Date().toISOString();
    const { rotationMessage } = await import('../../server/src/database/audit/key-ring.js');
    const { checkpointMessage } = await import('../../server/src/database/audit/audit-chain.js');
    const { sign } = await import('node:crypto');
    const message = rotationMessage({
      publicKey: attackerKey,
      previousKey: currentKey,
      previousLastSize: head.seq,
      at,
    });
    const forged = sign(null, Buffer.from(message), privateKey).toString('base64');
    rw.prepare(
      'INSERT INTO signing_keys (id, public_key, previous_key, previous_last_size, at, handover_signature, succession_signature) VALUES (99, ?, ?, ?, ?, ?, ?)',
    ).run(attackerKey, currentKey, head.seq, at, forged, forged);
    const cpAt = new Date().toISOString();
    rw.prepare(
      'INSERT INTO audit_checkpoints (chain, size, head_hash, at, signature, public_key) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (chain, size) DO NOTHING',
    ).run(
      head.seq + 1000,
      head.hash,
      cpAt,
      sign(
        null,
        Buffer.from(checkpointMessage({ size: head.seq + 1000, headHash: head.hash, at: cpAt })),
        privateKey,
      ).toString('base64'),
      attackerKey,
    );
    rw.close();
    const attacked = cli(['audit', 'verify', '--db', db, '--key', keyPath]);
    expect(attacked.status).toBe(2);
    expect(attacked.stdout).toMatch(/key rotation record 99 .* does not verify/);
    // The naive approach — trusting the key a database row names — would have accepted the forged checkpoint.
    expect(verifyWithNamedKey(db, head.seq + 1000)).toBe(true);
    // And the server refuses to start: the database names a key of record that is not the key file's.
    expectRefusal(dir, /is not the key that signed this database's checkpoints/);
  }, 180_000);
});

/** The old, naive rule: a checkpoint is checked with the public key stored beside it. */
function verifyWithNamedKey(dbPath: string, size: number): boolean {
  const db = new Database(dbPath, { readonly: true });
  const cp = db.prepare('SELECT * FROM audit_checkpoints WHERE size = ?').get(size) as {
    size: number;
    head_hash: string;
    at: string;
    signature: string;
    public_key: string;
  };
  db.close();
  const key = createPublicKey({ key: Buffer.from(cp.public_key, 'base64'), format: 'der', type: 'spki' });
  const message = JSON.stringify({ at: cp.at, headHash: cp.head_hash, size: cp.size });
  return edVerify(null, Buffer.from(message), key, Buffer.from(cp.signature, 'base64'));
}

describe('start-up on PostgreSQL: a read-only database and a restored backup are refused, nothing written [REL-003]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-pgstart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('default_transaction_read_only, then a database copied before the newest checkpoint', async () => {
    const live = new URL(await createPostgresDatabase('pgstart')).pathname.slice(1);
    const backup = `${live}_backup`;
    const urlOf = postgresUrlFor;
    const client = new pg.Client({ connectionString: postgresAdminUrl() });
    await client.connect();
    const env = {
      DATABASE_URL: urlOf(live),
      SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
      DEMO_PASSWORD,
      CHECKPOINT_EVERY: '5',
      AUTH_THROTTLE_PER_MINUTE: '100000',
    };
    const state = async (name: string) => {
      const c = new pg.Client({ connectionString: urlOf(name) });
      await c.connect();
      const rows = JSON.stringify([
        (await c.query('SELECT * FROM audit_head')).rows,
        (await c.query('SELECT COUNT(*) AS n FROM audit_checkpoints')).rows,
        (await c.query('SELECT COUNT(*) AS n FROM users')).rows,
      ]);
      await c.end();
      return rows;
    };
    const refused = async (name: string, pattern: RegExp) => {
      const before = await state(name);
      const r = startOnce({ ...env, DATABASE_URL: urlOf(name) });
      expect(r.status).toBe(1);
      expect(r.lines).toHaveLength(1);
      expect(r.lines[0]).toMatch(pattern);
      expect(await state(name)).toBe(before);
      console.log(`refused: ${r.lines[0]}`);
    };
    try {
      let s = await startPatiently(env);
      await s.kill('SIGTERM');
      await client.query(`CREATE DATABASE ${backup} TEMPLATE ${live}`);

      await client.query(`ALTER DATABASE ${live} SET default_transaction_read_only = on`);
      await refused(
        live,
        /the PostgreSQL database \(DATABASE_URL\) is read-only \(default_transaction_read_only is on\)/,
      );
      await client.query(`ALTER DATABASE ${live} RESET default_transaction_read_only`);

      s = await startPatiently(env);
      const api = new Api(s.baseUrl);
      for (let i = 0; i < 6; i++) await api.login('auditor');
      await s.kill('SIGTERM');
      await refused(
        backup,
        /the database looks restored from a backup: the checkpoint file \S+ holds a signed checkpoint of the instance chain \(0\) at entry \d+, but the database's instance chain \(0\) ends at entry \d+/,
      );
    } finally {
      await client.query(`DROP DATABASE IF EXISTS ${backup}`).catch(() => undefined);
      await client.end();
    }
  }, 120_000);
});

/**
 * startServer with a longer wait: three instances booting at once on a loaded 2-core machine took
 * 20–30 s to listen (measured at load average 18), past startServer's 30 s.
 */
function startPatiently(env: Record<string, string>): Promise<ServerProcess> {
  return startServer(env, undefined, { healthTimeoutMs: 120_000 });
}
