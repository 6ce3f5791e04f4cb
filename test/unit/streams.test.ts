import seedrandom from 'seedrandom';
import { ALGORITHM, LIBRARY_VERSION, deriveStream } from '../../shared/engine/index.js';
import { readRepoFile } from './helpers.js';

describe('seedrandom seed vectors (ALGORITHMS.md) [RAND-004]', () => {
  it("seedrandom('hello.') gives the published first two values", () => {
    const rng = seedrandom('hello.');
    expect(rng()).toBe(0.9282578795792454);
    expect(rng()).toBe(0.3752569768646784);
  });

  it('xor4096, tychei and alea with seed 1 give the published .double()', () => {
    expect(seedrandom.xor4096(1 as unknown as string).double()).toBe(0.1520436450538547);
    expect(seedrandom.tychei(1 as unknown as string).double()).toBe(0.42331440041340196);
    expect(seedrandom.alea(1 as unknown as string).double()).toBe(0.5260470956849501);
  });

  it('the pinned release is exactly 3.0.5 and is named in every scheme', () => {
    const lock = JSON.parse(readRepoFile('package-lock.json')) as { packages: Record<string, { version: string }> };
    expect(lock.packages['node_modules/seedrandom'].version).toBe('3.0.5');
    expect(LIBRARY_VERSION).toBe('3.0.5');
    expect(ALGORITHM).toBe('seedrandom-3.0.5/xor4096');
  });
});

describe('deriveStream [RAND-004]', () => {
  const first = (s: { double(): number }, n = 5) => Array.from({ length: n }, () => s.double());

  it('is deterministic for the same inputs', () => {
    expect(first(deriveStream('master-seed', 'S', 'k', 'list'))).toEqual(
      first(deriveStream('master-seed', 'S', 'k', 'list')),
    );
  });

  it('differs by seed, study, stratum and purpose', () => {
    const base = first(deriveStream('master-seed', 'S', 'k', 'list'));
    expect(first(deriveStream('master-seed2', 'S', 'k', 'list'))).not.toEqual(base);
    expect(first(deriveStream('master-seed', 'T', 'k', 'list'))).not.toEqual(base);
    expect(first(deriveStream('master-seed', 'S', 'k2', 'list'))).not.toEqual(base);
    expect(first(deriveStream('master-seed', 'S', 'k', 'block-sizes'))).not.toEqual(base);
  });

  it('does not confuse field boundaries ("ab"+"c" vs "a"+"bc")', () => {
    expect(first(deriveStream('seed', 'ab', 'c', 'list'))).not.toEqual(first(deriveStream('seed', 'a', 'bc', 'list')));
  });

  it('refuses an empty seed (seedrandom would otherwise seed from the clock)', () => {
    expect(() => deriveStream('', 'S', 'k', 'list')).toThrow(/non-empty/);
  });
});
