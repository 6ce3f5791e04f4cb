import {
  createSequenceRule,
  minimizationProbabilities,
  MinimizationKernel,
  newMinimizationState,
  deriveStream,
  simulate,
} from '../../shared/engine/index.js';
import type { SequenceState } from '../../shared/engine/index.js';

describe('big stick counting', () => {
  it('N = 12, b = 2 has 972 admissible sequences under the engine rule', () => {
    const rule = createSequenceRule('big-stick', { bound: 2 }, [1, 1]);
    const probs = new Float64Array(2);
    let admissible = 0;
    for (let mask = 0; mask < 1 << 12; mask++) {
      const state: SequenceState = { counts: [0, 0], total: 0, block: [0, 0], blockLeft: 0, blockSize: 0 };
      let ok = true;
      for (let i = 0; i < 12 && ok; i++) {
        const arm = (mask >> i) & 1;
        rule.probabilities(state, probs);
        ok = probs[arm] > 0;
        state.counts[arm]++;
        state.total++;
      }
      if (ok) admissible++;
    }
    expect(admissible).toBe(972);
  });

  it('never exceeds the bound in simulation', () => {
    expect(
      simulate({ method: 'big-stick', params: { bound: 2 } }, { n: 60, trials: 2000, seed: 'bound' })
        .maxAbsImbalanceQuantiles.p95,
    ).toBeLessThanOrEqual(2);
  });
});

describe('minimization', () => {
  it('with one factor behaves like a biased coin with the same p inside each level', () => {
    const factors = [{ id: 'sex', levels: [{ code: 'F' }, { code: 'M' }] }];
    const options = { n: 60, trials: 20000, seed: 'min-vs-coin' };
    const min = simulate({ method: 'minimization', params: { p: 0.75 }, factors }, options);
    const coin = simulate({ method: 'biased-coin', params: { p: 0.75 }, factors, stratify: true }, options);
    for (const level of ['F', 'M']) {
      const a = min.byFactorMargin!.find((m) => m.level === level)!;
      const b = coin.byFactorMargin!.find((m) => m.level === level)!;
      expect(Math.abs(a.meanAbsImbalance - b.meanAbsImbalance)).toBeLessThan(0.03);
      expect(Math.abs(a.probBalanced - b.probBalanced)).toBeLessThan(0.02);
    }
    expect(coin.byStratum!.map((s) => s.key)).toEqual(['sex=F', 'sex=M']);
  });

  it('the simulation kernel scores exactly like the recorded-decision code', () => {
    const ratios = [2, 1, 1];
    const levelCounts = [2, 3];
    const config = { ratios, factors: ['a', 'b'], weights: [1, 2], p: 0.7, imbalance: 'variance' as const };
    const kernel = new MinimizationKernel(
      { factors: ['a', 'b'], weights: { a: 1, b: 2 }, p: 0.7, imbalance: 'variance' },
      ratios,
      levelCounts,
    );
    const rng = deriveStream('kernel-check', 'S', 'k', 'test');
    for (let trial = 0; trial < 200; trial++) {
      const state = newMinimizationState(config);
      const margin = levelCounts.map((c) => new Float64Array(c * 3));
      levelCounts.forEach((count, f) => {
        for (let l = 0; l < count; l++) {
          const counts = [0, 1, 2].map(() => Math.floor(rng.double() * 5));
          state.counts[f].set(`L${l}`, counts);
          counts.forEach((v, k) => (margin[f][l * 3 + k] = v));
        }
      });
      const level = Int32Array.from(levelCounts, (c) => Math.floor(rng.double() * c));
      const probs = new Float64Array(3);
      kernel.probabilities(margin, level, probs, new Uint8Array(3));
      const expected = minimizationProbabilities(config, state, { a: `L${level[0]}`, b: `L${level[1]}` }).probabilities;
      expected.forEach((p, k) => expect(probs[k]).toBeCloseTo(p, 12));
    }
  });
});

describe('2:1 ratios reach their target proportions', () => {
  const arms = [
    { code: 'MSC', ratio: 2 },
    { code: 'PBO', ratio: 1 },
  ];
  it.each([
    ['simple', {}, undefined],
    ['permuted-block', { blockSizes: [3, 6] }, undefined],
    ['biased-coin', { p: 0.7 }, undefined],
    ['big-stick', { bound: 2 }, undefined],
    ['truncated-binomial', { blockSizes: [6] }, undefined],
    ['minimization', { p: 0.8 }, [{ id: 'f', levels: [{ code: 'x' }, { code: 'y' }] }]],
  ])('%s', (method, params, factors) => {
    const r = simulate({ method, params, arms, factors }, { n: 99, trials: 4000, seed: 'ratio' });
    expect(Math.abs(r.armProportions.MSC - 2 / 3)).toBeLessThan(0.006);
    expect(Math.abs(r.armProportions.PBO - 1 / 3)).toBeLessThan(0.006);
  });

  it('permuted blocks of 3 and 6 end every trial of n = 99 exactly on target', () => {
    const r = simulate(
      { method: 'permuted-block', params: { blockSizes: [3] }, arms },
      { n: 99, trials: 500, seed: 'ratio' },
    );
    expect(r.meanAbsImbalance).toBeCloseTo(0, 9);
    expect(r.probBalanced).toBe(1);
  });
});

describe('simulation bookkeeping', () => {
  it('gives the same figures for the same seed and different figures for another [RAND-015]', () => {
    const a = simulate({ method: 'biased-coin' }, { n: 30, trials: 2500, seed: 's1' });
    expect(simulate({ method: 'biased-coin' }, { n: 30, trials: 2500, seed: 's1' })).toEqual(a);
    expect(simulate({ method: 'biased-coin' }, { n: 30, trials: 2500, seed: 's2' }).meanAbsImbalance).not.toBe(
      a.meanAbsImbalance,
    );
  });

  it('reports progress per chunk up to the total', () => {
    const seen: number[] = [];
    simulate({ method: 'simple' }, { n: 10, trials: 2500, seed: 'p' }, (done) => seen.push(done));
    expect(seen).toEqual([1000, 2000, 2500]);
  });

  it('has ordered quantiles and the field names of ALGORITHMS.md', () => {
    const r = simulate({ method: 'simple' }, { n: 50, trials: 3000, seed: 'q' });
    const q = r.absImbalanceQuantiles;
    expect(q.p5 <= q.p25 && q.p25 <= q.p50 && q.p50 <= q.p75 && q.p75 <= q.p95).toBe(true);
    for (const key of [
      'meanAbsImbalance',
      'absImbalanceQuantiles',
      'meanMaxAbsImbalance',
      'probBalanced',
      'correctGuessRate',
      'forcedRate',
      'trials',
      'n',
      'seconds',
    ]) {
      expect(r).toHaveProperty(key);
    }
  });

  it('rejects an unknown method with the list of methods', () => {
    expect(() => simulate({ method: 'coin-flip' }, { n: 10, trials: 10, seed: 'x' })).toThrow(
      /unknown method "coin-flip"; expected one of: simple, permuted-block/,
    );
  });
});
