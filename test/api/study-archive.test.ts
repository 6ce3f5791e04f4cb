/**
 * Issue 16, build 4: the study archive. A study is taken through randomizations, an emergency unblinding
 * and end-of-study unblinding; `study archive` writes it (once in-process, once as a spawned process with
 * --tar); the instance is then closed and its folder deleted, and `archive verify` checks the archive in a
 * fresh folder with no database and no configuration. The tamper cases reuse copies of the one archive.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { runCli } from '../../server/src/cli/main.js';
import { allocationLogCsv } from '../../server/src/modules/allocation-log/allocation-log.rows.js';
import { demoProtocol } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { decide, randomizedPatient, reveal, requestUnblinding, signed } from './fixtures/unblinding-helpers.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

const CODE = demoProtocol().study.code;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

/** A spawned `blindrand` with no database or key settings in its environment, run from `cwd`. */
function spawned(args: string[], cwd: string): { code: number; out: string } {
  const env = { ...process.env };
  for (const k of ['DATABASE_PATH', 'DATABASE_URL', 'SIGNING_KEY_PATH', 'CHECKPOINT_LOG_PATH', 'DB']) delete env[k];
  try {
    return { code: 0, out: execFileSync('node', [CLI, ...args], { cwd, env, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e: any) {
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

describe('study archive: written after unblinding, verified offline, tampering detected', () => {
  let t: TestApp | null;
  let work: string;
  let dbArgs: string[];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    work = mkdtempSync(join(tmpdir(), 'blindrand-archive-'));
    for (const u of ['investigator1', 'investigator2', 'monitor', 'statistician']) tokens[u] = await t.api.login(u);
    const patients = [
      await randomizedPatient(t.api, tokens.investigator1, 'A'),
      await randomizedPatient(t.api, tokens.investigator1, 'A'),
      await randomizedPatient(t.api, tokens.investigator2, 'B'),
    ];
    const request = (await requestUnblinding(t.api, tokens.investigator1, patients[0])).body.id;
    expect((await decide(t.api, tokens.monitor, request, true)).status).toBe(200);
    expect((await reveal(t.api, tokens.investigator1, request)).status).toBe(200);
    const db = t.config.database as any;
    dbArgs = [
      ...(usingPostgres ? ['--database-url', db.url] : ['--db', db.path]),
      '--key',
      join(t.dir, 'audit-signing.key'),
    ];
  });
  afterAll(async () => {
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a study not yet unblinded and an unknown study code (exit 2), writing nothing [ARCH-001]', async () => {
    const out = join(work, 'early');
    const early = await cli(['study', 'archive', '--study', CODE, '--out', out, ...dbArgs]);
    expect([early.code, early.err]).toEqual([2, expect.stringContaining('only after end-of-study unblinding')]);
    const unknown = await cli(['study', 'archive', '--study', 'NO-SUCH-STUDY', '--out', out, ...dbArgs]);
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('no study with the code "NO-SUCH-STUDY"')]);
    expect(readdirSync(work)).toEqual([]);

    // End of study: lock, then two statisticians unblind.
    const stat = tokens.statistician;
    expect((await t!.api.post('/api/study/lock', { ...signed(), reason: 'Last patient out' }, stat)).status).toBe(200);
    const second = { username: 'statistician2', password: DEMO_PASSWORD };
    expect((await t!.api.post('/api/study/unblind', { ...signed(), secondSignature: second }, stat)).status).toBe(200);
  });

  it('writes one folder of open formats with a signed manifest; its exports are the service’s own bytes [ARCH-002]', async () => {
    const folder = join(work, 'archive');
    const res = await cli(['study', 'archive', '--study', CODE, '--out', folder, ...dbArgs]);
    expect([res.code, res.err]).toEqual([0, '']);
    expect(res.out).toMatch(/3 allocations; [1-9]\d* register rows/);
    const file = (p: string) => readFileSync(join(folder, p), 'utf8');
    const manifest = file('MANIFEST.sha256');
    for (const p of [
      'README.md',
      'archive.json',
      'protocol/protocol.yaml',
      'protocol/protocol.yaml.sha256',
      'schemes/scheme-v1.json',
      'schemes/scheme-v1-list.csv',
      'allocation-log/allocation-log.csv',
      'allocation-log/allocation-log.json',
      'unblinding/register.csv',
      'unblinding/register.json',
      'signatures/signatures.csv',
      'exports/cdisc-adsl.csv',
      'audit/chain.jsonl',
      'audit/sealed.jsonl',
      'audit/checkpoints.jsonl',
      'audit/public-key.pem',
      'audit/key-rotations.json',
    ])
      expect(manifest).toContain(`  ${p}\n`);
    expect(readFileSync(join(folder, 'MANIFEST.sha256.sig'))).toHaveLength(64);
    // The service's exports, byte for byte (the statistician holds the key after unblinding).
    const log = await t!.api.get('/api/allocation-log?format=csv', tokens.statistician);
    expect(file('allocation-log/allocation-log.csv')).toBe(log.text);
    expect(file('exports/cdisc-adsl.csv').split('\n')[0]).toContain('ARMCD');
    const register = JSON.parse(file('unblinding/register.json'));
    expect(register.map((r: any) => r.kind).sort()).toEqual(['emergency-reveal', 'end-of-study', 'end-of-study']);
    expect(JSON.parse(file('schemes/scheme-v1.json')).record.seed).toEqual(expect.any(String));
    const readme = file('README.md');
    expect(readme).toContain('sha256sum -c MANIFEST.sha256');
    expect(readme).toContain('openssl pkeyutl -verify');
    expect(readme).toContain("# Archive de l'étude");
    // One chain entry a line, with exactly the hashed fields and the two hashes.
    const first = JSON.parse(file('audit/chain.jsonl').split('\n')[0]);
    expect(Object.keys(first).sort()).toEqual([
      'action',
      'actor',
      'at',
      'details',
      'entityId',
      'entityType',
      'hash',
      'prevHash',
      'reason',
      'role',
      'seq',
    ]);
  });

  it('a spawned run writes the same archive as a tar [ARCH-002]', async () => {
    const res = spawned(
      ['study', 'archive', '--study', CODE, '--out', join(work, 'spawned'), '--tar', ...dbArgs],
      work,
    );
    expect(res).toEqual({ code: 0, out: expect.stringContaining('spawned.tar') });
    expect(existsSync(join(work, 'spawned'))).toBe(false);
  });

  it('verifies with its files alone, after the instance is closed and deleted, in a fresh folder [ARCH-003]', async () => {
    const instanceDir = t!.dir;
    await t!.close();
    t = null;
    expect(existsSync(instanceDir)).toBe(false);
    const fresh = mkdtempSync(join(tmpdir(), 'blindrand-elsewhere-'));
    try {
      cpSync(join(work, 'archive'), join(fresh, 'archive'), { recursive: true });
      cpSync(join(work, 'spawned.tar'), join(fresh, 'spawned.tar'));
      const res = await cli(['archive', 'verify', join(fresh, 'archive')]);
      expect([res.code, res.err]).toEqual([0, '']);
      for (const check of [
        'manifest signature',
        'files',
        'audit chain',
        'checkpoints',
        'protocol',
        'schemes and lists',
        'allocation log',
        'unblinding register',
        'signatures',
      ])
        expect(res.out).toContain(`OK     ${check}: `);
      expect(res.out).toContain('VALID');
      const json = JSON.parse((await cli(['archive', 'verify', join(fresh, 'archive'), '--json'])).out);
      expect(json.checks.find((c: any) => c.name === 'allocation log').summary).toMatch(/^3 allocations/);
      expect(json.checks.find((c: any) => c.name === 'signatures').summary).toMatch(
        /^([7-9]|\d\d+) electronic signatures/,
      );
      // Without blindrand: the README's sha256sum and openssl steps.
      const folder = join(fresh, 'archive');
      const sums = execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: folder, encoding: 'utf8' });
      expect(
        sums
          .trim()
          .split('\n')
          .every((l) => l.endsWith(': OK')),
      ).toBe(true);
      const openssl = execFileSync(
        'openssl',
        [
          'pkeyutl',
          '-verify',
          '-pubin',
          '-inkey',
          'audit/public-key.pem',
          '-rawin',
          '-in',
          'MANIFEST.sha256',
          '-sigfile',
          'MANIFEST.sha256.sig',
        ],
        { cwd: folder, encoding: 'utf8' },
      );
      expect(openssl).toContain('Signature Verified Successfully');
      // Any tar reads the ustar file: extracted by the system's tar, its files match the manifest.
      mkdirSync(join(fresh, 'extracted'));
      execFileSync('tar', ['-xf', join(fresh, 'spawned.tar'), '-C', join(fresh, 'extracted')]);
      execFileSync('sha256sum', ['--quiet', '-c', 'MANIFEST.sha256'], { cwd: join(fresh, 'extracted', 'spawned') });
      // The tar, and a spawned verifier with no database settings, run from the fresh folder.
      const tar = spawned(['archive', 'verify', 'spawned.tar'], fresh);
      expect(tar).toEqual({ code: 0, out: expect.stringContaining('VALID: every check passed') });
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  /** A copy of the archive, changed by `tamper`, verified: exit 1, and the output names `file`. */
  async function tampered(name: string, tamper: (dir: string) => void, file: string, check: string) {
    const dir = join(work, `tampered-${name}`);
    cpSync(join(work, 'archive'), dir, { recursive: true });
    tamper(dir);
    const res = await cli(['archive', 'verify', dir]);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(new RegExp(`FAILED ${check}:[^\\n]*\\n(       - [^\\n]*\\n)*       - ${file}`));
    return res.out;
  }
  const flipByte = (path: string, at: (text: string) => number) => {
    const bytes = readFileSync(path);
    const i = at(bytes.toString('latin1'));
    bytes[i] = bytes[i] === 0x31 ? 0x32 : 0x31;
    writeFileSync(path, bytes);
  };

  it('detects one changed byte, a deleted file, an added file and an edited manifest, naming the file [ARCH-004]', async () => {
    const log = 'allocation-log/allocation-log.csv';
    const out = await tampered('log', (d) => flipByte(join(d, log), (s) => s.indexOf('\n') + 1), log, 'files');
    expect(out).toContain(`FAILED allocation log`);
    const chain = await tampered(
      'chain',
      (d) => flipByte(join(d, 'audit/chain.jsonl'), (s) => s.indexOf('"at":"') + 8),
      'audit/chain.jsonl',
      'audit chain',
    );
    expect(chain).toContain('content does not match its hash');
    const cp = await tampered(
      'checkpoint',
      (d) => flipByte(join(d, 'audit/checkpoints.jsonl'), (s) => s.indexOf('"headHash":"') + 14),
      'audit/checkpoints.jsonl',
      'checkpoints',
    );
    expect(cp).toContain('FAILED files');
    await tampered('deleted', (d) => rmSync(join(d, 'unblinding/register.csv')), 'unblinding/register.csv', 'files');
    await tampered('added', (d) => writeFileSync(join(d, 'exports/extra.csv'), 'a,b\n'), 'exports/extra.csv', 'files');
    // A consistent forgery: an arm changed in both copies of the log and the manifest re-hashed (not re-signed).
    // Besides the signature, the log no longer agrees with the sealed arm the chain committed to.
    const forged = await tampered(
      'forged',
      (d) => {
        const path = join(d, 'allocation-log/allocation-log.json');
        const rows = JSON.parse(readFileSync(path, 'utf8'));
        rows[0].arm = demoProtocol().arms.find((a) => a.code !== rows[0].arm)!.code;
        writeFileSync(path, JSON.stringify(rows, null, 2) + '\n');
        writeFileSync(join(d, log), allocationLogCsv(rows, true));
        const manifest = readFileSync(join(d, 'MANIFEST.sha256'), 'utf8').replace(
          /^[0-9a-f]{64}( {2}allocation-log\/.*)$/gm,
          (_, name: string) => sha256(readFileSync(join(d, name.trim()))) + name,
        );
        writeFileSync(join(d, 'MANIFEST.sha256'), manifest);
      },
      'allocation-log/allocation-log.json randomization 1',
      'allocation log',
    );
    expect(forged).toContain('OK     files');
    expect(forged).toContain('FAILED manifest signature');
    expect(forged).toContain('differs from the sealed arm');
    // A manifest edited to match a changed file, not re-signed: the signature check fails.
    await tampered(
      'manifest',
      (d) => appendFileSync(join(d, 'MANIFEST.sha256'), `${'0'.repeat(64)}  notes.txt\n`),
      'MANIFEST.sha256.sig',
      'manifest signature',
    );
  });
});
