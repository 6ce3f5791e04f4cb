/**
 * Secret seeds and salted commitments (issue 11, Build-3). A statistician who types a weak seed
 * phrase (a date) must not make the list guessable: the published seed commitment and list
 * fingerprint are attacked with the phrase known, and with every arm of every entry guessed; no
 * guess matches. The same attacks against the old approach (the phrase used as the seed, unsalted
 * hashes) succeed — that is what shows the attacks can fail. After end-of-study unblinding the
 * released seed and salt reproduce both values, and `list verify` passes with them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../shared/canonical-json.js';
import {
  fingerprintPayload,
  generateScheme,
  schemeFingerprint,
  seedCommitment,
  type Scheme,
} from '../../shared/engine/index.js';
import { demoProtocol } from '../support/factories.js';
import { openRawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { signed } from './fixtures/unblinding-helpers.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

const PROTOCOL_FILE = join(process.cwd(), 'protocols', 'msct-ms.yaml');
const PHRASE = '20261129';
const DESIGN = { method: 'permuted-block', params: { blockSizes: [2] }, listLength: 2 };
/** The user who owns the list (generate, view, activate). */
const LIST_OWNER = 'randstat';

function cli(args: string[]): { code: number; out: string } {
  try {
    return {
      code: 0,
      out: execFileSync('node', [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  } catch (e: any) {
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

/** Every date of 2026 as YYYYMMDD: the dictionary a guessable seed falls to. */
function datesOf2026(): string[] {
  const out: string[] = [];
  for (let d = new Date(Date.UTC(2026, 0, 1)); d.getUTCFullYear() === 2026; d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10).replace(/-/g, ''));
  return out;
}

/** The fingerprint as schemeFingerprint computes it, hashed by Node's native SHA-256 so thousands of guesses stay fast. */
const fastFingerprint = (scheme: Scheme) =>
  createHash('sha256')
    .update(canonicalJson(fingerprintPayload(scheme)))
    .digest('hex');

/**
 * Attack 1: try each dictionary word as the seed against the published seed commitment (every
 * date of 2026) and the fingerprint (the last two months: regenerating a list per word is slower).
 */
function seedDictionaryAttack(
  published: { seedCommitment: string; fingerprint: string },
  siteCodes: string[],
): string[] {
  const hits: string[] = [];
  const protocol = demoProtocol();
  for (const word of datesOf2026()) {
    if (seedCommitment(word, 'MSCT-MS') === published.seedCommitment) hits.push(`commitment:${word}`);
    if (word < '20261101') continue;
    if (fastFingerprint(generateScheme(protocol, { ...DESIGN, seed: word, siteCodes })) === published.fingerprint)
      hits.push(`fingerprint:${word}`);
  }
  return hits;
}

/**
 * Attack 2: the attacker knows everything public about the list and even every treatment code
 * (stronger than any blinded role); only the arms are unknown. With blocks of two, each stratum is
 * one of two orders: all 2^strata assignments are tried against the published fingerprint.
 */
function armGuessAttack(template: Scheme, publishedFingerprint: string): number {
  const [a, b] = template.arms.map((x) => x.code);
  // The canonical bytes with a marker per arm; each guess only fills the markers in (fast, same bytes).
  const marked: Scheme = {
    ...template,
    seed: undefined,
    salt: undefined,
    strata: template.strata.map((s, i) => ({
      ...s,
      entries: s.entries.map((e, j) => ({ ...e, armCode: `@${i}.${j}@` })),
    })),
  };
  const parts = canonicalJson(fingerprintPayload(marked)).split(/@(\d+)\.(\d+)@/);
  let hits = 0;
  for (let mask = 0; mask < 2 ** template.strata.length; mask++) {
    let text = '';
    for (let k = 0; k < parts.length; k += 3) {
      text += parts[k];
      if (k + 2 < parts.length) text += ((mask >> Number(parts[k + 1])) & 1) === Number(parts[k + 2]) ? a : b;
    }
    if (createHash('sha256').update(text).digest('hex') === publishedFingerprint) hits++;
  }
  return hits;
}

describe('secret seeds: a weak phrase does not make the list guessable; seed and salt are released after unblinding', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let published: { seedCommitment: string; fingerprint: string };
  let document: Scheme;
  let siteCodes: string[];

  beforeAll(async () => {
    t = await startTestApp({ DEMO_STUDY_STATUS: 'setup' });
    for (const u of new Set(['auditor', 'statistician', 'statistician2', LIST_OWNER])) tokens[u] = await t.api.login(u);
  });
  afterAll(async () => t.close());

  it('a draft stored before salting (legacy, salt NULL after migration 007) cannot be activated', async () => {
    const raw = await openRawDb(t.config);
    try {
      await raw.run("UPDATE schemes SET salt = NULL WHERE state = 'draft'");
    } finally {
      await raw.close();
    }
    const refused = await t.api.post('/api/study/activate', signed(), tokens[LIST_OWNER]);
    expect([refused.status, refused.body.code]).toEqual([409, 'SCHEME_LEGACY']);
    expect((await t.api.get('/api/study', tokens.auditor)).body.status).toBe('setup');
  });

  it('the phrase is mixed with server randomness: the same phrase twice gives two different lists, and the phrase is not stored [BLIND-005]', async () => {
    const first = await t.api.post('/api/study/scheme', { ...DESIGN, seedPhrase: PHRASE }, tokens[LIST_OWNER]);
    expect(first.status).toBe(201);
    const second = await t.api.post('/api/study/scheme', { ...DESIGN, seedPhrase: PHRASE }, tokens[LIST_OWNER]);
    expect(second.status).toBe(201);
    expect(second.body.fingerprint).not.toBe(first.body.fingerprint);
    expect(second.body.seedCommitment).not.toBe(first.body.seedCommitment);
    expect(JSON.stringify(second.body)).not.toContain(PHRASE);
    expect(
      (await t.api.post('/api/study/scheme', { ...DESIGN, seedPhrase: PHRASE, seed: PHRASE }, tokens[LIST_OWNER])).body
        .code,
    ).toBe('VALIDATION_FAILED');
    const audited = (await t.api.get('/api/audit?action=scheme.generated', tokens.auditor)).body.entries;
    expect(audited.at(-1).details).toMatchObject({ seedPhraseMixed: true, seedCommitment: second.body.seedCommitment });
    expect(JSON.stringify(audited)).not.toContain(PHRASE);
  });

  it('activation publishes the salted fingerprint; both published values resist a dictionary attack with the phrase known [BLIND-004]', async () => {
    const activated = await t.api.post('/api/study/activate', signed(), tokens[LIST_OWNER]);
    expect(activated.status).toBe(200);
    const study = (await t.api.get('/api/study', tokens.auditor)).body;
    const audited = (await t.api.get('/api/audit?action=scheme.generated', tokens.auditor)).body.entries.at(-1).details;
    published = { seedCommitment: audited.seedCommitment, fingerprint: study.listFingerprint };
    expect(published.fingerprint).toBe(audited.fingerprint);
    const list = (await t.api.get('/api/study/scheme', tokens[LIST_OWNER])).body;
    siteCodes = [...new Set(list.strata.map((s: any) => s.levels.site))] as string[];
    document = {
      ...list,
      studyCode: 'MSCT-MS',
      treatmentCodeFormat: demoProtocol().treatmentCode,
      strata: list.strata.map((s: any) => ({ key: s.key, levels: s.levels, entries: s.entries })),
    };

    expect(seedDictionaryAttack(published, siteCodes)).toEqual([]);

    // The old approach: the phrase is the seed and nothing is salted. The same attack finds it.
    const old = generateScheme(demoProtocol(), { ...DESIGN, seed: PHRASE, siteCodes });
    expect(
      seedDictionaryAttack({ seedCommitment: old.seedCommitment!, fingerprint: schemeFingerprint(old) }, siteCodes),
    ).toEqual([`commitment:${PHRASE}`, `fingerprint:${PHRASE}`]);
  });

  it('guessing every arm of every entry matches no published fingerprint (the unsalted one falls) [BLIND-004]', () => {
    expect(document.strata).toHaveLength(12);
    expect(document.strata.every((s) => s.entries.length === 2)).toBe(true);
    expect(armGuessAttack({ ...document, seedCommitment: published.seedCommitment }, published.fingerprint)).toBe(0);
    // Control: the same list fingerprinted the old way (no salt) is found among the 4,096 guesses.
    const unsalted = schemeFingerprint({ ...document, seedCommitment: published.seedCommitment, salt: undefined });
    expect(armGuessAttack({ ...document, seedCommitment: published.seedCommitment }, unsalted)).toBe(1);
  });

  it('nothing secret is released before end-of-study unblinding [BLIND-005]', async () => {
    expect((await t.api.get('/api/study/scheme/release', tokens.statistician)).body.code).toBe('STUDY_NOT_UNBLINDED');
    const scheme = (await t.api.get('/api/study/scheme', tokens[LIST_OWNER])).body;
    expect(scheme).not.toHaveProperty('seed');
    expect(scheme).not.toHaveProperty('salt');
  });

  it('after unblinding, the released seed and salt reproduce both published values and `list verify` passes with them [UNBL-010]', async () => {
    expect((await t.api.post('/api/study/lock', signed(), tokens.statistician)).status).toBe(200);
    const unblind = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect(unblind.status).toBe(200);
    const released = (await t.api.get('/api/study/scheme/release', tokens.statistician)).body;
    expect(released).toMatchObject({
      seed: expect.stringMatching(/^[0-9a-f]{64}$/),
      salt: expect.stringMatching(/^[0-9a-f]{64}$/),
      publishedFingerprint: published.fingerprint,
    });
    expect(released.seed).not.toBe(PHRASE);
    expect(seedCommitment(released.seed, 'MSCT-MS', released.salt)).toBe(published.seedCommitment);
    const unblindedAudit = (await t.api.get('/api/audit?action=study.unblinded', tokens.auditor)).body.entries.at(
      -1,
    ).details;
    expect(unblindedAudit).toMatchObject({ seedReleased: true, saltReleased: true });

    const csvFile = join(t.dir, 'released-list.csv');
    writeFileSync(csvFile, (await t.api.get('/api/study/scheme?format=csv', tokens[LIST_OWNER])).text);
    const flags = [
      '--protocol',
      PROTOCOL_FILE,
      '--method',
      'permuted-block',
      '--block-sizes',
      '2',
      '--list-length',
      '2',
      '--sites',
      released.siteCodes.join(','),
      '--seed',
      released.seed,
    ];
    const generated = cli(['list', 'generate', ...flags, '--salt', released.salt, '--json']);
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.out).fingerprint).toBe(published.fingerprint);
    const verified = cli([
      'list',
      'verify',
      ...flags,
      '--salt',
      released.salt,
      '--fingerprint',
      published.fingerprint,
      '--list',
      csvFile,
    ]);
    expect(verified).toEqual({ code: 0, out: expect.stringContaining(`fingerprint ${published.fingerprint}`) });
    // Without the salt the list itself still matches, but the published fingerprint does not.
    const unsalted = cli(['list', 'verify', ...flags, '--fingerprint', published.fingerprint, '--list', csvFile]);
    expect(unsalted.code).toBe(2);
    expect(unsalted.out).toContain('needs --salt');
  });
});
