/**
 * Exact mode (shared/engine/exact.ts) against computations written here from the engine's own
 * sequence rules (sequence-rules.ts), not from exact-models.ts:
 *  - n = 12: full enumeration of every allocation path (and every block-size draw) with its probability;
 *  - n = 50, 100 (and 1,000 for designs with bounded imbalance): a dynamic program whose state is the
 *    rule's whole SequenceState plus the running max |D_i|, merged in a Map by value;
 *  - n = 1,000 for the unbounded designs: a forward recursion over signed D (law of D_n, guesses,
 *    forcing) and a backward one (law of max|D_i|), both in typed arrays from the rule's own
 *    probabilities and checked against the Map program at n = 100; and closed forms;
 *  - the engine's Monte Carlo within 4 standard errors.
 */
import { checkExactDesign, exactFigures, simulate, EngineError, prepareDesign } from '../../shared/engine/index.js';
import type { ExactResult, SimulationDesign } from '../../shared/engine/index.js';
import {
  commitAllocation,
  createSequenceRule,
  isForced,
  newSequenceState,
  type SequenceState,
} from '../../shared/engine/sequence-rules.js';

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

const clone = (s: SequenceState): SequenceState => ({
  counts: [...s.counts],
  total: s.total,
  block: [...s.block],
  blockLeft: s.blockLeft,
  blockSize: s.blockSize,
});

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
        rule.drawsBlockSizes && node.state.blockLeft === 0
          ? sizes.map((_, s) => [1 / sizes.length, () => (s + 0.5) / sizes.length])
          : [[1, () => 0.5]];
      for (const [bw, draw] of branches) {
        const st = clone(node.state);
        rule.beginBlockIfNeeded(st, draw);
        rule.probabilities(st, probs);
        const isForcedNow = isForced(probs);
        for (let arm = 0; arm < 2; arm++) {
          if (probs[arm] <= 0) continue;
          const w = node.mass * bw * probs[arm];
          const [a, b] = st.counts;
          correct += a === b ? w / 2 : (arm === 0) === a < b ? w : 0;
          if (isForcedNow) forced += w;
          const after = clone(st);
          commitAllocation(after, arm, rule.usesBlocks);
          const max = Math.max(node.max, Math.abs(after.counts[0] - after.counts[1]));
          // Counts per arm add up to i at step i, so N_A stands for both; rules without blocks keep nothing else.
          const stateKey = rule.usesBlocks
            ? `${after.counts[0]},${after.block[0]},${after.block[1]},${after.blockLeft},${after.blockSize}`
            : after.counts[0];
          const k =
            merge === 'path'
              ? `${key}${bw < 1 ? `[${st.blockSize}]` : ''}${arm}`
              : merge === 'state'
                ? stateKey
                : `${stateKey}|${max}`;
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
  return {
    meanAbs,
    probBalanced: absDist[0],
    correct: correct / n,
    forced: forced / n,
    absDist,
    maxDist: merge === 'state' ? null : maxDist,
  };
}

/**
 * P(max_{i ≤ n} |D_i| ≥ m) for m = 1 … M by a second formulation, for designs the rule drives from
 * the counts alone (no block state): a BACKWARD recursion over signed D (A and B not merged),
 * V_n(d) = 1 for |d| < m, V_i(d) = Σ_arm P(arm | counts) · V_{i+1}(d ± 1) with V = 0 once |d ± 1| ≥ m,
 * so P(max < m) = V_0(0). The probabilities come from the engine's rule on a state with counts
 * ((i + d)/2, (i − d)/2), tabulated once per (i, d).
 */
function maxTailsBackward(design: SimulationDesign, n: number, M: number): number[] {
  const prepared = prepareDesign(design);
  const rule = createSequenceRule(prepared.method, prepared.params, [1, 1], n);
  const W = 2 * M + 1; // d = −M … M at index d + M
  const pA = new Float64Array(n * W);
  const pB = new Float64Array(n * W);
  const probs = new Float64Array(2);
  // D_i has the parity of i: only those (i, d) are reachable (and tabulated).
  const first = (i: number, reach: number) => {
    const d = -Math.min(i, reach);
    return (d + i) & 1 ? d + 1 : d;
  };
  for (let i = 0; i < n; i++) {
    for (let d = first(i, M); d <= Math.min(i, M); d += 2) {
      const state = newSequenceState(2);
      state.counts = [(i + d) / 2, (i - d) / 2];
      state.total = i;
      rule.probabilities(state, probs);
      pA[i * W + d + M] = probs[0];
      pB[i * W + d + M] = probs[1];
    }
  }
  const tails = [1];
  let v = new Float64Array(W);
  let before = new Float64Array(W);
  for (let m = 1; m <= M; m++) {
    v.fill(0);
    for (let d = -(m - 1); d <= m - 1; d++) v[d + M] = 1;
    for (let i = n - 1; i >= 0; i--) {
      for (let d = first(i, m - 1); d <= Math.min(i, m - 1); d += 2) {
        const up = d + 1 < m ? v[d + 1 + M] : 0;
        const down = d - 1 > -m ? v[d - 1 + M] : 0;
        before[d + M] = pA[i * W + d + M] * up + pB[i * W + d + M] * down;
      }
      [v, before] = [before, v];
    }
    tails.push(1 - v[M]); // index m: P(max ≥ m)
  }
  return tails;
}

/**
 * Simple randomization is the simple random walk: by the reflection principle (barriers at ±m,
 * period 4m), P(S_n = x, max_{i ≤ n} |S_i| < m) = Σ_k [P(S_n = x + 4km) − P(S_n = 2m − x + 4km)].
 * Returns P(max ≥ m) for m = 0 … M, a closed form independent of any recursion.
 */
function maxTailsSimpleWalk(n: number, M: number): number[] {
  // P(S_n = y) = C(n, (n + y)/2) / 2^n by Pascal's rule with a halving per row (no factorial's rounding).
  let row = new Float64Array(n + 2);
  row[0] = 1;
  for (let r = 1; r <= n; r++) {
    const next = new Float64Array(n + 2);
    for (let k = 0; k <= r; k++) next[k] = ((k > 0 ? row[k - 1] : 0) + row[k]) / 2;
    row = next;
  }
  const pS = (y: number) => ((n + y) % 2 !== 0 || Math.abs(y) > n ? 0 : row[(n + y) / 2]);
  const tails = [1];
  for (let m = 1; m <= M; m++) {
    let inside = 0;
    for (let x = -(m - 1); x <= m - 1; x++) {
      for (let k = -Math.ceil((n + 2 * m) / (4 * m)); k <= Math.ceil((n + 2 * m) / (4 * m)); k++)
        inside += pS(x + 4 * k * m) - pS(2 * m - x + 4 * k * m);
    }
    tails.push(1 - inside);
  }
  return tails;
}

/**
 * The law of D_n, correct guesses and forced allocations by a FORWARD recursion over signed D (no
 * symmetry used) in typed arrays, for designs the rule drives from the counts alone: the Map
 * program's arithmetic without its per-state objects, fast enough for n = 1,000.
 */
function forwardSigned(design: SimulationDesign, n: number): Reference {
  const prepared = prepareDesign(design);
  const rule = createSequenceRule(prepared.method, prepared.params, [1, 1], n);
  let mass = new Float64Array(2 * n + 1); // d at index d + n
  let next = new Float64Array(2 * n + 1);
  mass[n] = 1;
  let correct = 0;
  let forced = 0;
  const probs = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    next.fill(0);
    for (let d = -i; d <= i; d += 2) {
      const w = mass[d + n];
      if (w === 0) continue;
      const state = newSequenceState(2);
      state.counts = [(i + d) / 2, (i - d) / 2];
      state.total = i;
      rule.probabilities(state, probs);
      if (isForced(probs)) forced += w;
      // Convergence strategy: guess the arm behind (A when d < 0); a tie scores 1/2.
      correct += d === 0 ? w / 2 : w * (d < 0 ? probs[0] : probs[1]);
      next[d + 1 + n] += w * probs[0];
      next[d - 1 + n] += w * probs[1];
    }
    [mass, next] = [next, mass];
  }
  const absDist = new Array<number>(n + 1).fill(0);
  for (let d = -n; d <= n; d++) absDist[Math.abs(d)] += mass[d + n];
  return {
    meanAbs: absDist.reduce((s, p, k) => s + p * k, 0),
    probBalanced: absDist[0],
    correct: correct / n,
    forced: forced / n,
    absDist,
    maxDist: null,
  };
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

/**
 * Each exact figure and each reference is computed once per design, n and method in this file and
 * shared by the tests that assert on it (several describe blocks compare the same n = 50, 100, 1000).
 */
function once<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const seen = new Map<string, R>();
  return (...args: A) => {
    const key = JSON.stringify(args);
    if (!seen.has(key)) seen.set(key, fn(...args));
    return seen.get(key)!;
  };
}
const exactOf = once(exactFigures);
const referenceOf = once(reference);
const forwardOf = once(forwardSigned);
const backwardOf = once(maxTailsBackward);

function near(label: string, got: number, want: number): void {
  if (!(Math.abs(got - want) <= TOL))
    throw new Error(`${label}: exact ${got} vs reference ${want} (|diff| ${Math.abs(got - want)})`);
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
  for (const [name, q] of [
    ['p5', 0.05],
    ['p25', 0.25],
    ['p50', 0.5],
    ['p75', 0.75],
    ['p95', 0.95],
  ] as const) {
    expect(e.absImbalanceQuantiles[name]).toBe(lawQuantile(r.absDist, q));
  }
  if (r.maxDist) {
    dist(`${label} law of max|D_i|`, e.maxAbsImbalanceDistribution, r.maxDist);
    near(
      `${label} E max|D_i|`,
      e.meanMaxAbsImbalance,
      r.maxDist.reduce((s, p, m) => s + p * m, 0),
    );
    for (const [name, q] of [
      ['p5', 0.05],
      ['p50', 0.5],
      ['p95', 0.95],
    ] as const)
      expect(e.maxAbsImbalanceQuantiles[name]).toBe(lawQuantile(r.maxDist, q));
  }
}

describe('exact mode against full enumeration of every path at n = 12 [RAND-015]', () => {
  for (const [label, design] of Object.entries(DESIGNS)) {
    it(label, () => compare(label, exactOf(design, 12), referenceOf(design, 12, 'path')));
  }
  it('enumeration really visits every path: simple at n = 12 has 2^12 of them', () => {
    // The reference's law of |D_12| for simple randomization is C(12, k)/2^12 summed, which needs all 4,096 paths.
    const r = referenceOf({ method: 'simple' }, 12, 'path');
    near('P(D_12 = 0)', r.probBalanced, 924 / 4096);
  });
});

describe('exact mode against a dynamic program over the rule state and running max at n = 50, 100, 1000', () => {
  for (const [label, design] of Object.entries(DESIGNS)) {
    for (const n of [50, 100, 1000]) {
      const unbounded = UNBOUNDED.has(label);
      if (n === 1000 && unbounded) continue; // below: running max unbounded, too many states for a Map
      it(`${label}, n = ${n}`, () =>
        compare(`${label} n=${n}`, exactOf(design, n), referenceOf(design, n, 'state+max')));
    }
  }
  for (const label of UNBOUNDED) {
    it(`${label}, n = 1000: law of D_n by a forward recursion over signed D, law of max|D_i| by a backward one (simple: reflection principle)`, () => {
      const e = exactOf(DESIGNS[label], 1000);
      compare(`${label} n=1000`, e, forwardOf(DESIGNS[label], 1000));
      // The exact law of the max stops where its tail no longer counts; the recursion goes 10 further.
      const M = e.maxAbsImbalanceDistribution.length + 10;
      const tails = label === 'simple' ? maxTailsSimpleWalk(1000, M) : backwardOf(DESIGNS[label], 1000, M);
      const law = tails.slice(0, M).map((p, m) => (m === 0 ? 0 : p - tails[m + 1]));
      dist(`${label} n=1000 law of max|D_i|`, e.maxAbsImbalanceDistribution, law);
      near(
        `${label} n=1000 E max|D_i|`,
        e.meanMaxAbsImbalance,
        tails.slice(1).reduce((s, p) => s + p, 0),
      );
      for (const [name, q] of [
        ['p5', 0.05],
        ['p50', 0.5],
        ['p95', 0.95],
      ] as const)
        expect(e.maxAbsImbalanceQuantiles[name]).toBe(lawQuantile(law, q));
    });
  }
  it('the two recursions agree with the Map program where all run (simple and urn, n = 100)', () => {
    for (const label of ['simple', 'urn UD(1,2)']) {
      const ref = referenceOf(DESIGNS[label], 100, 'state+max');
      const fwd = forwardOf(DESIGNS[label], 100);
      dist(`${label} n=100 law of |D_n|`, fwd.absDist, ref.absDist);
      near(`${label} n=100 correct`, fwd.correct, ref.correct);
      near(`${label} n=100 forced`, fwd.forced, ref.forced);
      const tails = backwardOf(DESIGNS[label], 100, 100);
      if (label === 'simple') dist('simple n=100 reflection vs backward', maxTailsSimpleWalk(100, 100), tails);
      dist(
        `${label} n=100 law of max`,
        tails.slice(0, 100).map((p, m) => (m === 0 ? 0 : p - tails[m + 1])),
        ref.maxDist!.slice(0, 100),
      );
    }
  });
  it('simple, n = 1000: closed forms P(D_n = 0) = C(n, n/2)/2^n, E|D_n| = n·P(D_n = 0), correct guesses 1/2', () => {
    let p = 1; // C(1000, 500)/2^1000 as a product of ratios, so nothing overflows
    for (let k = 1; k <= 500; k++) p *= (500 + k) / k / 4;
    const e = exactOf({ method: 'simple' }, 1000);
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
      const e = exactOf(design, 50);
      const mc = simulate(design, { n: 50, trials: 3000, seed: `exact-${label}` });
      const within = (name: string, got: number, want: number, se: number) => {
        if (Math.abs(got - want) > 4 * se + 1e-12)
          throw new Error(`${label} ${name}: Monte Carlo ${got} vs exact ${want}, > 4·SE ${4 * se}`);
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
    refuses(
      { method: 'minimization', factors: [{ id: 'f', levels: [{ code: 'a' }, { code: 'b' }] }] },
      50,
      /without covariates/,
    );
    refuses(
      { method: 'permuted-block', factors: [{ id: 'f', levels: [{ code: 'a' }, { code: 'b' }] }] },
      50,
      /without covariates/,
    );
  });
  it('more than two arms, unequal ratios, n out of range', () => {
    refuses(
      {
        method: 'simple',
        arms: [
          { code: 'A', ratio: 1 },
          { code: 'B', ratio: 1 },
          { code: 'C', ratio: 1 },
        ],
      },
      50,
      /two arms only/,
    );
    refuses(
      {
        method: 'permuted-block',
        arms: [
          { code: 'A', ratio: 2 },
          { code: 'B', ratio: 1 },
        ],
      },
      50,
      /1:1 ratio only/,
    );
    refuses({ method: 'simple' }, 2001, /between 1 and 2000/);
  });
});
