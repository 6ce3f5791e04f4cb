/**
 * Installation and operational qualification (issue 17, item 2) on an instance started like a site
 * would: the CLI runs it over HTTP, the signed report verifies offline, a tampered report does not,
 * production data stays as it was, and a misconfigured instance fails exactly the checks it should.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openRawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { newParticipant, randomize } from '../support/factories.js';
import { CLI_ENTRY, SERVER_ENTRY } from '../support/index.js';

let t: TestApp;
/** A fresh second-factor code of the demo admin, for the CLI's sign-in. */
const adminCode = async () => (await t.api.secondFactor.code('admin'))!;

const ALL_CHECKS = [
  'IQ-VERSION',
  'IQ-CHECKSUMS',
  'IQ-DURABILITY',
  'IQ-KEY-PRESENT',
  'IQ-KEY-PERMISSIONS',
  'IQ-KEY-LOCATION',
  'IQ-CLOCK',
  'IQ-BACKUP',
  'IQ-TLS',
  'IQ-AUDIT-CHAIN',
  'OQ-EXACTLY-ONCE',
  'OQ-IDEMPOTENT-REPLAY',
  'OQ-UNBLINDING-MONITOR-APPROVAL',
  'OQ-BLINDING-CRAWL',
  'OQ-EXPORTS',
  'OQ-TAMPER',
  'OQ-UNBLINDING-BREAK-THE-GLASS',
  'OQ-UNBLINDING-TWO-PERSON',
  'OQ-CLEANUP',
];

/**
 * The CLI in a child process, the bundle an operator runs (half the start-up CPU of the unbundled modules);
 * asynchronous, so the test's own HTTP connections stay serviced meanwhile.
 */
function cli(args: string[], input?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input ?? '');
  });
}

/** A release manifest of the build under test, and a backup folder holding a fresh backup. */
function siteFiles(): { dir: string; manifest: string; backups: string } {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-qual-site-'));
  const manifest = join(dir, 'release-manifest.json');
  execFileSync(process.execPath, ['server/bin/release-manifest.mjs', manifest], { stdio: 'ignore' });
  const backups = join(dir, 'backups');
  execFileSync('mkdir', [backups]);
  writeFileSync(join(backups, 'blindrand-today.sqlite'), 'backup');
  return { dir, manifest, backups };
}

async function productionState(t: TestApp) {
  const raw = await openRawDb(t.config);
  try {
    const [p] = await raw.all('SELECT COUNT(*) AS n FROM participants');
    const [a] = await raw.all('SELECT COUNT(*) AS n FROM allocations');
    const [h] = await raw.all('SELECT seq, hash FROM audit_head WHERE id = 1');
    const [i] = await raw.all('SELECT seq FROM audit_head WHERE id = 0');
    const entries = await raw.all('SELECT seq, hash FROM audit_log WHERE chain = 1 ORDER BY seq');
    const instance = await raw.all('SELECT seq, hash FROM audit_log WHERE chain = 0 ORDER BY seq');
    return {
      participants: Number(p.n),
      allocations: Number(a.n),
      head: { seq: Number(h.seq), hash: String(h.hash) },
      hashes: entries.map((e) => String(e.hash)),
      // The instance chain (0): sign-in and qualification runs are the instance's (docs/MULTI-STUDY.md).
      instanceHead: Number(i?.seq ?? 0),
      instanceHashes: instance.map((e) => String(e.hash)),
    };
  } finally {
    await raw.close();
  }
}

/**
 * On PostgreSQL the shared test cluster runs without fsync (for speed), which qualification rightly
 * fails: the correctly configured instance gets its own cluster with PostgreSQL's durable defaults.
 */
async function durablePostgres(): Promise<{ url: string; stop(): void } | null> {
  if (!usingPostgres) return null;
  const { startPostgres } = await import(
    pathToFileURL(join(process.cwd(), 'test', 'support', 'postgres-cluster.mjs')).href
  );
  const cluster = await startPostgres({ durable: true });
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query('CREATE DATABASE qualified');
  await client.end();
  const url = new URL(cluster.url);
  url.pathname = '/qualified';
  return { url: url.toString(), stop: () => cluster.stop() };
}

describe('qualification of a correctly configured instance', () => {
  let durable: Awaited<ReturnType<typeof durablePostgres>>;
  let site: ReturnType<typeof siteFiles>;
  let out: string;
  let reportFile: string;
  let publicKey: string;
  let admin: string;

  beforeAll(async () => {
    site = siteFiles();
    out = join(site.dir, 'out');
    durable = await durablePostgres();
    // Production argon2 cost: the test-only cost fails IQ-VERSION, as it must on a qualified installation.
    t = await startTestApp(
      {
        BACKUP_DIR: site.backups,
        RELEASE_MANIFEST_PATH: site.manifest,
        // A qualified installation accepts a second-factor code once (the test-only replay switch fails IQ-VERSION).
        BLINDRAND_TOTP_REPLAY: 'off',
        ...(durable ? { DATABASE_URL: durable.url } : {}),
      },
      { argon2: 'production' },
    );
    admin = await t.api.login('admin');
    // Production data the qualification must leave alone: a randomized patient.
    const inv = await t.api.login('investigator1');
    const p = await newParticipant(t.api, inv);
    expect((await randomize(t.api, inv, p, 'production-patient-0001')).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    durable?.stop();
    rmSync(site.dir, { recursive: true, force: true });
  });

  it('[QUAL-001][QUAL-002][QUAL-003][QUAL-004][QUAL-005][QUAL-006][QUAL-007][QUAL-008][QUAL-009][QUAL-010][QUAL-011][QUAL-013][QUAL-014] `blindrand qualify` passes every check and leaves production data untouched', async () => {
    const before = await productionState(t);
    const run = await cli(
      // The administrator's code: the next one this client has not used (the server refuses a replayed code).
      [
        'qualify',
        '--url',
        t.baseUrl,
        '--username',
        'admin',
        '--password-stdin',
        '--totp',
        await adminCode(),
        '--out',
        out,
      ],
      `${DEMO_PASSWORD}\n`,
    );
    console.log(`QUALIFICATION (${usingPostgres ? 'PostgreSQL' : 'SQLite'}):\n${run.out}`);
    expect(run.err).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/result: pass \(19\/19 checks passed\)/);
    expect(run.out).toMatch(/signature: valid/);
    const files = readdirSync(out);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(1);
    reportFile = join(
      out,
      files.find((f) => f.endsWith('.json'))!,
    );
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    expect(report.checks.map((c: any) => c.id).sort()).toEqual([...ALL_CHECKS].sort());
    expect(report.checks.filter((c: any) => !c.pass)).toEqual([]);
    for (const c of report.checks)
      expect(c).toEqual({
        id: expect.any(String),
        stage: expect.stringMatching(/^(installation|operational)$/),
        requirements: expect.arrayContaining([expect.stringMatching(/^QUAL-\d{3}$/)]),
        title: expect.any(String),
        expected: expect.any(String),
        observed: expect.any(String),
        pass: true,
      });
    expect(report.environment).toMatchObject({
      version: '0.1.0',
      node: process.version,
      dialect: usingPostgres ? 'postgres' : 'sqlite',
      databaseVersion: expect.stringMatching(usingPostgres ? /^PostgreSQL \d/ : /^SQLite 3\./),
    });
    expect(report.runBy).toMatchObject({ username: 'admin', role: 'admin' });
    expect(report.locale).toBe('en');
    expect(report.checks.find((c: any) => c.id === 'IQ-DURABILITY').observed).toBe(
      usingPostgres ? 'fsync=on, synchronous_commit=on, full_page_writes=on' : 'journal_mode=wal, synchronous=FULL',
    );

    // Production: same patients and allocations; the study's chain unchanged; the instance chain grew by
    // exactly the CLI's sign-in and the qualification entry.
    const after = await productionState(t);
    expect([after.participants, after.allocations]).toEqual([before.participants, before.allocations]);
    expect(after.hashes).toEqual(before.hashes);
    expect(after.instanceHashes.slice(0, before.instanceHashes.length)).toEqual(before.instanceHashes);
    const added = (await t.api.get(`/api/admin/audit?after=${before.instanceHead}&limit=50`, admin)).body.entries;
    // Nothing of the throwaway study reached these chains.
    expect(added.map((e: any) => [e.action, e.actor]).sort()).toEqual([
      ['auth.login', 'admin'],
      ['qualification.run', 'admin'],
    ]);
    const entry = added.find((e: any) => e.action === 'qualification.run');
    expect(entry).toMatchObject({
      seq: after.instanceHead,
      actor: 'admin',
      entityId: report.id,
      details: { digest: report.signature.digest, result: 'pass', passed: 19, failed: 0 },
    });
    expect((await t.api.get('/api/audit/verify', admin)).body.valid).toBe(true);
    expect((await t.api.get('/api/admin/audit/verify', admin)).body.valid).toBe(true);

    // The console's list, the JSON and the HTML.
    expect((await t.api.get('/api/admin/qualification', admin)).body).toEqual([
      expect.objectContaining({
        id: report.id,
        result: 'pass',
        passed: 19,
        failed: 0,
        runBy: 'admin',
        digest: report.signature.digest,
      }),
    ]);
    const html = await t.api.get(`/api/admin/qualification/${report.id}/html`, admin);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain(report.signature.digest);
    expect(html.text.match(/<tr class="pass">/g)).toHaveLength(19);
    const checkpoints = (await t.api.get('/api/admin/audit/checkpoints', admin)).body;
    publicKey = checkpoints[checkpoints.length - 1].publicKey;
    expect(report.signature.publicKey).toBe(publicKey);
  });

  it('[QUAL-012] the report verifies offline with the published key, and fails when one byte changes or another key is given', async () => {
    const ok = await cli(['qualify', 'verify', reportFile, '--public-key', publicKey]);
    expect([ok.code, ok.out]).toEqual([0, expect.stringMatching(/^VALID: report .* result pass \(19\/19\)/)]);
    const text = readFileSync(reportFile, 'utf8');
    // One byte of one observed value.
    const i = text.indexOf('"observed":"') + 12;
    const tampered = join(out, 'tampered.json');
    writeFileSync(tampered, text.slice(0, i) + (text[i] === 'X' ? 'Y' : 'X') + text.slice(i + 1));
    const bad = await cli(['qualify', 'verify', tampered, '--public-key', publicKey]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/INVALID: the report was changed after signing/);
    // A result turned from fail to pass by hand is caught too (and by the signature).
    const report = JSON.parse(text);
    report.checks[0].pass = false;
    writeFileSync(tampered, JSON.stringify(report));
    expect((await cli(['qualify', 'verify', tampered, '--public-key', publicKey])).code).toBe(2);
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const wrongKey = await cli(['qualify', 'verify', reportFile, '--public-key', other]);
    expect([wrongKey.code, wrongKey.err]).toEqual([2, expect.stringMatching(/signed by another key/)]);
  });

  it('[QUAL-014] only an administrator may run or read qualification', async () => {
    for (const u of ['investigator1', 'pharmacist', 'monitor', 'statistician', 'randstat', 'auditor']) {
      const token = await t.api.login(u);
      expect((await t.api.post('/api/admin/qualification', {}, token)).status).toBe(403);
      expect((await t.api.get('/api/admin/qualification', token)).status).toBe(403);
    }
    expect((await t.api.get('/api/admin/qualification/00000000-0000-4000-8000-000000000000', admin)).body.code).toBe(
      'NOT_FOUND',
    );
    expect((await t.api.post('/api/admin/qualification', { installationOnly: 'yes' }, admin)).status).toBe(400);
  });
});

describe('qualification of a misconfigured instance', () => {
  let site: ReturnType<typeof siteFiles>;

  beforeAll(async () => {
    site = siteFiles();
    // One file of the build "changed" after release: its manifest hash no longer matches.
    const manifest = JSON.parse(readFileSync(site.manifest, 'utf8'));
    manifest.files['dist/server/bundle/main.js'] = '0'.repeat(64); // the file that runs
    writeFileSync(site.manifest, JSON.stringify(manifest));
    const env: Record<string, string> = { RELEASE_MANIFEST_PATH: site.manifest };
    // SQLite: synchronous=OFF. PostgreSQL: the shared test cluster runs with fsync, synchronous_commit and
    // full_page_writes off — the misconfiguration is the server's own.
    if (!usingPostgres) env.SQLITE_SYNCHRONOUS = 'OFF';
    // The report is written in the runner's language: here the instance default, French.
    // Plain http on a network name without a TLS proxy; the key file world-readable; the server's clock 10 s ahead.
    t = await startTestApp(
      {
        ...env,
        BACKUP_DIR: site.backups,
        DEFAULT_LOCALE: 'fr',
        PUBLIC_URL: 'http://rando.example-hospital.fr',
        BLINDRAND_TOTP_REPLAY: 'off',
      },
      { argon2: 'production' },
    );
    chmodSync(t.config.signingKeyPath, 0o644);
    await t.advanceClock(10_000);
  });
  afterAll(async () => {
    await t.close();
    rmSync(site.dir, { recursive: true, force: true });
  });

  it('[QUAL-001][QUAL-002][QUAL-003][QUAL-004][QUAL-006] fails exactly the misconfigured checks, with what it saw', async () => {
    const admin = await t.api.login('admin');
    const res = await t.api.post('/api/admin/qualification', { installationOnly: true }, admin);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ result: 'fail', failed: 5 });
    const report = (await t.api.get(`/api/admin/qualification/${res.body.id}`, admin)).body;
    const failed = report.checks.filter((c: any) => !c.pass);
    expect(failed.map((c: any) => c.id)).toEqual([
      'IQ-CHECKSUMS',
      'IQ-DURABILITY',
      'IQ-KEY-PERMISSIONS',
      'IQ-CLOCK',
      'IQ-TLS',
    ]);
    const observed = Object.fromEntries(failed.map((c: any) => [c.id, c.observed]));
    expect(observed['IQ-CHECKSUMS']).toMatch(/changed dist\/server\/bundle\/main\.js/);
    expect(observed['IQ-KEY-PERMISSIONS']).toMatch(/^mode 0644/);
    expect(observed['IQ-CLOCK']).toMatch(/difference -(9|10)\d{3} ms \(limit 2000 ms\)$/);
    expect(observed['IQ-TLS']).toMatch(/plain http on a network address/);
    expect(observed['IQ-DURABILITY']).toBe(
      usingPostgres ? 'fsync=off, synchronous_commit=off, full_page_writes=off' : 'journal_mode=wal, synchronous=OFF',
    );
    expect(report.scope).toBe('installation');
    expect([report.locale, failed[0].title]).toEqual(['fr', 'Sommes de contrôle de la version installée']);
    expect((await t.api.get(`/api/admin/qualification/${res.body.id}/html`, admin)).text).toContain(
      '<strong>NON CONFORME</strong>',
    );
    const entry = (await t.api.get('/api/admin/audit?action=qualification.run', admin)).body.entries[0];
    expect(entry.details).toMatchObject({ result: 'fail', failed: 5, failedChecks: failed.map((c: any) => c.id) });
    // The CLI says so with exit code 2, and the failing report still verifies (it is a true record).
    const out = join(site.dir, 'out');
    const run = await cli(
      [
        'qualify',
        '--url',
        t.baseUrl,
        '--username',
        'admin',
        '--password-stdin',
        '--totp',
        await adminCode(),
        '--installation-only',
        '--out',
        out,
      ],
      DEMO_PASSWORD,
    );
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/FAIL {2}IQ-KEY-PERMISSIONS/);
    expect(run.err).toMatch(/qualification failed: 5 of 10 checks failed/);
    const file = join(
      out,
      readdirSync(out).find((f) => f.endsWith('.json'))!,
    );
    expect((await cli(['qualify', 'verify', file])).code).toBe(0);
  });

  it('SQLITE_SYNCHRONOUS is validated at start', () => {
    const r = spawnSync(process.execPath, [SERVER_ENTRY], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, SQLITE_SYNCHRONOUS: 'SOMETIMES', DATABASE_PATH: join(site.dir, 'x.sqlite') },
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'blindrand: configuration error: SQLITE_SYNCHRONOUS must be FULL, NORMAL or OFF, got "SOMETIMES"',
    );
  });
});
