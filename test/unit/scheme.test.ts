import { spawnSync } from 'node:child_process';
import { allStrata } from '../../shared/protocol/index.js';
import {
  generateScheme,
  importList,
  listToCsv,
  matchesCodeFormat,
  mixSeed,
  schemeFingerprint,
  seedCommitment,
} from '../../shared/engine/index.js';
import type { Scheme } from '../../shared/engine/index.js';
import { msctProtocol, parallelProtocol, repoPath } from './helpers.js';

const protocol = msctProtocol();
const SEED = 'trial-seed-0001';
const generate = (
  sites = ['A', 'B'],
  method = 'permuted-block',
  params: Record<string, unknown> = { blockSizes: [2, 4] },
) => generateScheme(protocol, { method, params, seed: SEED, siteCodes: sites });
const stratum = (s: Scheme, key: string) => s.strata.find((x) => x.key === key);

describe('generateScheme: stratified permuted blocks', () => {
  it('makes one complete-block list per stratum, each block balanced [RAND-001]', () => {
    const scheme = generate();
    expect(scheme.strata.map((s) => s.key)).toEqual(allStrata(protocol, ['A', 'B']).map((s) => s.key));
    for (const s of scheme.strata) {
      expect(s.entries.length).toBeGreaterThanOrEqual(8);
      expect(s.entries.map((e) => e.position)).toEqual(s.entries.map((_, i) => i + 1));
      const msc = s.entries.filter((e) => e.armCode === 'MSC-PBO').length;
      expect(msc * 2).toBe(s.entries.length); // whole blocks of 1:1 → exactly half
    }
  });

  it('records algorithm, library version and a seed commitment, not the seed, in the fingerprint', () => {
    const scheme = generate();
    expect(scheme.algorithm).toBe('seedrandom-3.0.5/xor4096');
    expect(scheme.libraryVersion).toBe('3.0.5');
    expect(scheme.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    expect(schemeFingerprint({ ...scheme, seed: 'other-seed-value' })).toBe(schemeFingerprint(scheme));
  });

  it('is identical across runs and gives the same fingerprint [RAND-002]', () => {
    expect(generate()).toEqual(generate());
    expect(schemeFingerprint(generate())).toMatch(/^[0-9a-f]{64}$/);
    expect(schemeFingerprint(generate())).toBe(schemeFingerprint(generate()));
  });

  it('is identical in another Node process [RAND-002]', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      const { parseProtocolOrThrow } = await import(${JSON.stringify(repoPath('dist/shared/protocol/index.js'))});
      const E = await import(${JSON.stringify(repoPath('dist/shared/engine/index.js'))});
      const p = parseProtocolOrThrow(readFileSync(${JSON.stringify(repoPath('protocols/msct-ms.yaml'))}, 'utf8'));
      const s = E.generateScheme(p, { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: ${JSON.stringify(SEED)}, siteCodes: ['A', 'B'] });
      process.stdout.write(E.schemeFingerprint(s) + '\\n' + E.listToCsv(s));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    const scheme = generate();
    expect(child.stdout).toBe(`${schemeFingerprint(scheme)}\n${listToCsv(scheme)}`);
  });

  it('changes the fingerprint when one entry changes', () => {
    const scheme = generate();
    const tampered = structuredClone(scheme);
    const e = tampered.strata[3].entries[2];
    e.armCode = e.armCode === 'MSC-PBO' ? 'PBO-MSC' : 'MSC-PBO';
    expect(schemeFingerprint(tampered)).not.toBe(schemeFingerprint(scheme));
  });

  it("leaves a stratum's list unchanged when another site (more strata) is added [RAND-002]", () => {
    const oneSite = generate(['A']);
    const twoSites = generate(['A', 'B']);
    expect(twoSites.strata).toHaveLength(2 * oneSite.strata.length);
    for (const s of oneSite.strata) expect(stratum(twoSites, s.key)).toEqual(s);
  });

  it('gives site order no influence [RAND-002]', () => {
    const ab = generate(['A', 'B']);
    const ba = generate(['B', 'A']);
    for (const s of ab.strata) expect(stratum(ba, s.key)).toEqual(s);
  });

  it('draws treatment codes in the protocol format, unique, independent of the arms [BLIND-009]', () => {
    const blocks = generate();
    const simple = generateScheme(protocol, { method: 'simple', seed: SEED, siteCodes: ['A', 'B'], listLength: 10 });
    const codes = blocks.strata.flatMap((s) => s.entries.map((e) => e.treatmentCode));
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(matchesCodeFormat(c, protocol.treatmentCode)).toBe(true);
    // Same seed, another method (other arms): the codes at each position are the same,
    // so a code cannot carry information about the arm behind it.
    for (const s of blocks.strata) {
      const other = stratum(simple, s.key)!;
      s.entries.forEach((e, i) => expect(other.entries[i].treatmentCode).toBe(e.treatmentCode));
    }
  });

  it('rejects block sizes that are not multiples of the ratio sum [RAND-003]', () => {
    expect(() =>
      generateScheme(parallelProtocol(), {
        method: 'permuted-block',
        params: { blockSizes: [4] },
        seed: SEED,
        siteCodes: [],
      }),
    ).toThrow(/blockSizes: 4 is not a multiple of the ratio sum 3 \(2:1\)/);
  });

  it('keeps 2:1 exactly within each block of 3 or 6 [RAND-003]', () => {
    const s = generateScheme(parallelProtocol(), {
      method: 'permuted-block',
      params: { blockSizes: [3, 6] },
      seed: SEED,
      siteCodes: [],
      listLength: 300,
    });
    const entries = s.strata[0].entries;
    expect(entries.length % 3).toBe(0);
    expect(entries.filter((e) => e.armCode === 'MSC').length).toBe((2 * entries.length) / 3);
  });
});

describe('list CSV import', () => {
  it('round-trips a generated list [RAND-013]', () => {
    const scheme = generate();
    const imported = importList(protocol, listToCsv(scheme), { siteCodes: ['A', 'B'] });
    expect(imported.strata).toEqual(scheme.strata);
    expect(imported.method).toBe('import');
  });

  it('names the line of every problem [RAND-013]', () => {
    const lines = listToCsv(generate(['A']))
      .trim()
      .split('\n');
    lines[2] = lines[2].replace(/,(MSC-PBO|PBO-MSC),/, ',XYZ,');
    lines[3] = lines[3].replace(/,3,/, ',2,');
    lines.push(lines[5]);
    let message = '';
    try {
      importList(protocol, lines.join('\n'), { siteCodes: ['A'] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('line 3: unknown arm "XYZ"');
    expect(message).toMatch(/line 4: position 2 of stratum "course=RRMS\|edss=LE5\|site=A" already given on line 3/);
    expect(message).toMatch(new RegExp(`line ${lines.length}: treatment code "MS-\\w+" already used on line 6`));
  });

  it('requires every stratum [RAND-013]', () => {
    const csv = listToCsv(generate(['A']));
    expect(() => importList(protocol, csv, { siteCodes: ['A', 'B'] })).toThrow(
      /stratum "course=RRMS\|edss=LE5\|site=B" has no entries/,
    );
  });
});

describe('secret seeds and salted commitments', () => {
  const salt = 'a'.repeat(64);
  const random = 'b'.repeat(64);

  it('a phrase is mixed with the random part, never used alone [BLIND-005]', () => {
    expect(mixSeed(random)).toBe(random);
    expect(mixSeed(random, '20261129')).toMatch(/^[0-9a-f]{64}$/);
    expect(mixSeed(random, '20261129')).not.toBe(mixSeed('c'.repeat(64), '20261129'));
    expect(mixSeed(random, '20261129')).not.toBe(mixSeed(random, '20261130'));
    expect(() => mixSeed('short', 'phrase')).toThrow(/256 bits/);
  });

  it('the salt changes the seed commitment and the fingerprint; without it both are the legacy values [BLIND-004]', () => {
    const options = {
      method: 'permuted-block',
      params: { blockSizes: [2, 4] },
      seed: 'a-known-seed',
      siteCodes: ['A', 'B'],
      listLength: 4,
    };
    const legacy = generateScheme(protocol, options);
    const salted = generateScheme(protocol, { ...options, salt });
    expect(legacy.seedCommitment).toBe(seedCommitment('a-known-seed', protocol.study.code));
    expect(salted.seedCommitment).toBe(seedCommitment('a-known-seed', protocol.study.code, salt));
    expect(salted.seedCommitment).not.toBe(legacy.seedCommitment);
    expect(salted.strata).toEqual(legacy.strata); // the salt never changes the list itself
    expect(schemeFingerprint(salted)).not.toBe(schemeFingerprint({ ...salted, salt: undefined }));
    expect(schemeFingerprint(salted)).not.toBe(schemeFingerprint({ ...salted, salt: 'c'.repeat(64) }));
    expect(() => generateScheme(protocol, { ...options, salt: 'not-hex' })).toThrow(/64 lower-case hex/);
  });
});
