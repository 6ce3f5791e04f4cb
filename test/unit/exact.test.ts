/**
 * Exact mode (shared/engine/exact.ts) against computations written here from the engine's own
 * sequence rules (sequence-rules.ts), not from exact-models.ts:
 *  - n = 12: full enumeration of every allocation path (and every block-size draw) with its probability;
 *  - n = 50, 100 (and 1,000 for designs with bounded imbalance): a dynamic program whose state is the
 *    rule's whole SequenceState plus the running max |D_i|, merged in a Map by value;
 *  - n = 1,000 for the unbounded designs: the same Map program without the running max (states below
 *    1e-30 dropped), and closed forms;
 *  - the engine's Monte Carlo within 4 standard errors.
 */
import { checkExactDesign, exactFigures, simulate, EngineError, prepareDesign } from '../../shared/engine/index.js';
import type { ExactResult, SimulationDesign } from '../../shared/engine/index.js';
import { commitAllocation, createSequenceRule, isForced, newSequenceState, type SequenceState } from '../../shared/engine/sequence-rules.js';

interface Reference {
  meanAbs: number;
  probBalanced: number;
  correct: number;
  forced: number;
  absDist: number[];
  /** P(max_i |D_i| = m); null when not computed. */
  maxDist: number[] | null;
}

type Merge = 'path' | 'state' | 'state+max';

const clone = (s: SequenceState): SequenceState => ({ counts: [...s.counts], total: s.total, block: [...s.block], blockLeft: s.blockLeft, blockSize: s.blockSize });

/**
 * Walk the engine's rule forward. `path`: every path is kept apart (full enumeration);
 * `state`: paths with equal SequenceState are merged; `state+max`: equal state and running max.
 */
function reference(design: SimulationDesign, n: number, merge: Merge): Reference {
  const prepared = prepareDesign(design);
  const rule = createSequenceRule(prepared.method, prepared.params, [1, 1], n);
  const sizes = prepared.params.blockSizes ?? [];
  type Node = { state: SequenceState; mass: number; max: number };
  let nodes = new Map<string | number, Node>([['', { state: newSequenceState(2), mass: 1, max: 0 }]]);
  let correct = 0;
  let forced = 0;
  const probs = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    const next = new Map<string | number, Node>();
    for (const [key, node] of nodes) {
      // `state` (used at n = 1,000 only) drops states below 1e-30: at most 1e-30 per state and step is lost, far below the 1e-12 compared.
      if (merge === 'state' && node.mass < 1e-30) continue;
      // A block-size draw branches: size s is what the rule picks for a uniform draw in the middle of its interval.
      const branches: Array<[number, () => number]> =
        rule.drawsBlockSizes && node.state.blockLeft === 0 ? sizes.map((_, s) => [1 / sizes.length, () => (s + 0.5) / sizes.length]) : [[1, () => 0.5]];
      for (const [bw, draw] of branches) {
        const st = clone(node.state);
        rule.beginBlockIfNeeded(st, draw);
        rule.probabilities(st, probs);
        const isForcedNow = isForced(probs);
        for (let arm = 0; arm < 2; arm++) {
          if (probs[arm] <= 0) continue;
          const w = node.mass * bw * probs[arm];
          const [a, b] = st.counts;
          correct += a === b ? w / 2 : (arm === 0) === (a < b) ? w : 0;
          if (isForcedNow) forced += w;
          const after = clone(st);
          commitAllocation(after, arm, rule.usesBlocks);
          const max = Math.max(node.max, Math.abs(after.counts[0] - after.counts[1]));
          // Counts per arm add up to i at step i, so N_A stands for both; rules without blocks keep nothing else.
          const stateKey = rule.usesBlocks ? `${after.counts[0]},${after.block[0]},${after.block[1]},${after.blockLeft},${after.blockSize}` : after.counts[0];
          const k = merge === 'path' ? `${key}${bw < 1 ? `[${st.blockSize}]` : ''}${arm}` : merge === 'state' ? stateKey : `${stateKey}|${max}`;
          const hit = next.get(k);
          if (hit) hit.mass += w;
          else next.set(k, { state: after, mass: w, max });
        }
      }
    }
    nodes = next;
  }
  const absDist = new Array<number>(n + 1).fill(0);
  const maxDist = new Array<number>(n + 1).fill(0);
  for (const node of nodes.values()) {
    absDist[Math.abs(node.state.counts[0] - node.state.counts[1])] += node.mass;
    maxDist[node.max] += node.mass;
  }
  const meanAbs = absDist.reduce((s, p, k) => s + p * k, 0);
  return { meanAbs, probBalanced: absDist[0], correct: correct / n, forced: forced / n, absDist, maxDist: merge === 'state' ? null : maxDist };
}

const DESIGNS: Record<string, SimulationDesign> = {
  simple: { method: 'simple' },
  'permuted-block 4': { method: 'permuted-block', params: { blockSizes: [4] } },
  'permuted-block 2,4,6': { method: 'permuted-block', params: { blockSizes: [2, 4, 6] } },
  'truncated-binomial 6': { method: 'truncated-binomial', params: { blockSizes: [6] } },
  'truncated-binomial 4,8': { method: 'truncated-binomial', params: { blockSizes: [4, 8] } },
  'biased-coin 2/3': { method: 'biased-coin', params: { p: 2 / 3 } },
  'biased-coin 0.8': { method: 'biased-coin', params: { p: 0.8 } },
  'big-stick 2': { method: 'big-stick', params: { bound: 2 } },
  'chen 0.7, 3': { method: 'chen', params: { p: 0.7, bound: 3 } },
  'maximal 3 (N = n)': { method: 'maximal', params: { bound: 3 } },
  'maximal 2, N = 10': { method: 'maximal', params: { bound: 2, length: 10 } },
  'urn UD(0,1)': { method: 'urn', params: { alpha: 0, beta: 1 } },
  'urn UD(1,2)': { method: 'urn', params: { alpha: 1, beta: 2 } },
};
const UNBOUNDED = new Set(['simple', 'biased-coin 2/3', 'biased-coin 0.8', 'urn UD(0,1)', 'urn UD(1,2)']);

const TOL = 1e-12;

function near(label: string, got: number, want: number): void {
  if (!(Math.abs(got - want) <= TOL)) throw new Error(`${label}: exact ${got} vs reference ${want} (|diff| ${Math.abs(got - want)})`);
}

function dist(label: string, got: number[], want: number[]): void {
  for (let k = 0; k < Math.max(got.length, want.length); k++) near(`${label}[${k}]`, got[k] ?? 0, want[k] ?? 0);
}

/** Quantile of a law: smallest k with P(X ≤ k) ≥ q. */
function lawQuantile(d: number[], q: number): number {
  let acc = 0;
  for (let k = 0; k < d.length; k++) if ((acc += d[k]) >= q - 1e-12) return k;
  return d.length - 1;
}

function compare(label: string, e: ExactResult, r: Reference): void {
  expect(e.exact).toBe(true);
  near(`${label} E|D_n|`, e.meanAbsImbalance, r.meanAbs);
  near(`${label} P(D_n = 0)`, e.probBalanced, r.probBalanced);
  near(`${label} correct guesses`, e.correctGuessRate, r.correct);
  near(`${label} forced`, e.forcedRate, r.forced);
  dist(`${label} law of |D_n|`, e.absImbalanceDistribution, r.absDist);
  for (const [name, q] of [['p5', 0.05], ['p25', 0.25], ['p50', 0.5], ['p75', 0.75], ['p95', 0.95]] as const) {
    expect(e.absImbalanceQuantiles[name]).toBe(lawQuantile(r.absDist, q));
  }
  if (r.maxDist) {
    dist(`${label} law of max|D_i|`, e.maxAbsImbalanceDistribution, r.maxDist);
    near(`${label} E max|D_i|`, e.meanMaxAbsImbalance, r.maxDist.reduce((s, p, m) => s + p * m, 0));
    for (const [name, q] of [['p5', 0.05], ['p50', 0.5], ['p95', 0.95]] as const) expect(e.maxAbsImbalanceQuantiles[name]).toBe(lawQuantile(r.maxDist, q));
  }
}

describe('exact mode against full enumeration of every path at n = 12 [RAND-015]', () => {
  for (const [label, design] of Object.entries(DESIGNS)) {
    it(label, () => compare(label, exactFigures(design, 12), reference(design, 12, 'path')));
  }
  it('enumeration really visits every path: simple at n = 12 has 2^12 of them', () => {
    // The reference's law of |D_12| for simple randomization is C(12, k)/2^12 summed, which needs all 4,096 paths.
    const r = reference({ method: 'simple' }, 12, 'path');
    near('P(D_12 = 0)', r.probBalanced, 924 / 4096);
  });
});

describe('exact mode against a dynamic program over the rule state and running max at n = 50, 100, 1000', () => {
  for (const [label, design] of Object.entries(DESIGNS)) {
    for (const n of [50, 100, 1000]) {
      const unbounded = UNBOUNDED.has(label);
      if (n === 1000 && unbounded) continue; // below: running max unbounded, too many states for a Map
      it(`${label}, n = ${n}`, () => compare(`${label} n=${n}`, exactFigures(design, n), reference(design, n, 'state+max')));
    }
  }
  for (const label of UNBOUNDED) {
    it(`${label}, n = 1000 (without the running max)`, () => compare(`${label} n=1000`, exactFigures(DESIGNS[label], 1000), reference(DESIGNS[label], 1000, 'state')));
  }
  it('simple, n = 1000: closed forms P(D_n = 0) = C(n, n/2)/2^n, E|D_n| = n·P(D_n = 0), correct guesses 1/2', () => {
    let p = 1; // C(1000, 500)/2^1000 as a product of ratios, so nothing overflows
    for (let k = 1; k <= 500; k++) p *= (500 + k) / k / 4;
    const e = exactFigures({ method: 'simple' }, 1000);
    expect(Math.abs(e.probBalanced - p) / p).toBeLessThan(1e-12);
    expect(Math.abs(e.meanAbsImbalance - 1000 * p) / (1000 * p)).toBeLessThan(1e-12);
    near('correct', e.correctGuessRate, 0.5);
    // Simple random walk: P(max_i |D_i| ≥ m) decreases in m and E max|D_i| ≈ 1.2533·√n·... bounded by E|D_n| below.
    expect(e.meanMaxAbsImbalance).toBeGreaterThan(e.meanAbsImbalance);
  });
});

describe('exact mode against the engine Monte Carlo (4 standard errors)', () => {
  for (const [label, design] of Object.entries(DESIGNS)) {
    it(`${label}, n = 50`, () => {
      const e = exactFigures(design, 50);
      const mc = simulate(design, { n: 50, trials: 3000, seed: `exact-${label}` });
      const within = (name: string, got: number, want: number, se: number) => {
        if (Math.abs(got - want) > 4 * se + 1e-12) throw new Error(`${label} ${name}: Monte Carlo ${got} vs exact ${want}, > 4·SE ${4 * se}`);
      };
      within('E|D_n|', mc.meanAbsImbalance, e.meanAbsImbalance, mc.standardErrors.meanAbsImbalance);
      within('P(D_n = 0)', mc.probBalanced, e.probBalanced, mc.standardErrors.probBalanced);
      within('correct guesses', mc.correctGuessRate, e.correctGuessRate, mc.standardErrors.correctGuessRate);
      within('forced', mc.forcedRate, e.forcedRate, mc.standardErrors.forcedRate);
    });
  }
});

describe('exact mode refuses what it cannot do, with a clear message', () => {
  const refuses = (design: SimulationDesign, n: number, pattern: RegExp) => {
    expect(() => checkExactDesign(design, n)).toThrow(EngineError);
    expect(() => exactFigures(design, n)).toThrow(pattern);
  };
  it('minimization and covariates', () => {
    refuses({ method: 'minimization', factors: [{ id: 'f', levels: [{ code: 'a' }, { code: 'b' }] }] }, 50, /without covariates/);
    refuses({ method: 'permuted-block', factors: [{ id: 'f', levels: [{ code: 'a' }, { code: 'b' }] }] }, 50, /without covariates/);
  });
  it('more than two arms, unequal ratios, n out of range', () => {
    refuses({ method: 'simple', arms: [{ code: 'A', ratio: 1 }, { code: 'B', ratio: 1 }, { code: 'C', ratio: 1 }] }, 50, /two arms only/);
    refuses({ method: 'permuted-block', arms: [{ code: 'A', ratio: 2 }, { code: 'B', ratio: 1 }] }, 50, /1:1 ratio only/);
    refuses({ method: 'simple' }, 2001, /between 1 and 2000/);
  });
});
