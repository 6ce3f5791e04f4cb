/**
 * The engine's Monte Carlo figures against exact values from a dynamic program over (i, D)
 * written here, independently of the engine (ALGORITHMS.md, "Properties to test the engine
 * against"). Two arms 1:1; D = N_A − N_B. Tolerance: 4 Monte Carlo standard errors.
 */
import { simulate } from '../../shared/engine/index.js';
import type { SimulationDesign, SimulationResult } from '../../shared/engine/index.js';

type RuleA = (i: number, d: number, n: number) => number;

interface Exact {
  meanAbs: number;
  sdAbs: number;
  probBalanced: number;
  correctGuessRate: number;
  forcedRate: number;
}

/** Exact figures at n from P(next → A | i, D). Convergence guess: the arm behind; a tie scores 1/2. */
function exact(n: number, pA: RuleA): Exact {
  let dist = new Map<number, number>([[0, 1]]);
  let correct = 0;
  let forced = 0;
  for (let i = 0; i < n; i++) {
    const next = new Map<number, number>();
    for (const [d, mass] of dist) {
      const pa = pA(i, d, n);
      if (pa === 0 || pa === 1) forced += mass;
      correct += mass * (d === 0 ? 0.5 : d > 0 ? 1 - pa : pa);
      if (pa > 0) next.set(d + 1, (next.get(d + 1) ?? 0) + mass * pa);
      if (pa < 1) next.set(d - 1, (next.get(d - 1) ?? 0) + mass * (1 - pa));
    }
    dist = next;
  }
  let meanAbs = 0;
  let meanSq = 0;
  for (const [d, mass] of dist) {
    meanAbs += mass * Math.abs(d);
    meanSq += mass * d * d;
  }
  return {
    meanAbs,
    sdAbs: Math.sqrt(meanSq - meanAbs ** 2),
    probBalanced: dist.get(0) ?? 0,
    correctGuessRate: correct / n,
    forcedRate: forced / n,
  };
}

const behindA = (d: number, p: number) => (d === 0 ? 0.5 : d < 0 ? p : 1 - p);

function blockState(i: number, d: number, size: number) {
  const j = i % size; // blocks end balanced, so D is the imbalance within the current block
  const usedA = (j + d) / 2;
  return { remA: size / 2 - usedA, remB: size / 2 - (j - usedA), left: size - j };
}

/** Number of ways from (i, D) to (N, 0) with |D| ≤ b throughout, in exact integers. */
function pathCounter(N: number, b: number): (i: number, d: number) => bigint {
  const memo = new Map<string, bigint>();
  const count = (i: number, d: number): bigint => {
    if (Math.abs(d) > b) return 0n;
    if (i === N) return d === 0 ? 1n : 0n;
    const key = `${i},${d}`;
    let v = memo.get(key);
    if (v === undefined) memo.set(key, (v = count(i + 1, d + 1) + count(i + 1, d - 1)));
    return v;
  };
  return count;
}

const RULES: Record<string, { design: SimulationDesign; pA: RuleA }> = {
  simple: { design: { method: 'simple' }, pA: () => 0.5 },
  'permuted-block (4)': {
    design: { method: 'permuted-block', params: { blockSizes: [4] } },
    pA: (i, d) => {
      const s = blockState(i, d, 4);
      return s.remA / s.left;
    },
  },
  'truncated-binomial (6)': {
    design: { method: 'truncated-binomial', params: { blockSizes: [6] } },
    pA: (i, d) => {
      const s = blockState(i, d, 6);
      return s.remA === 0 ? 0 : s.remB === 0 ? 1 : 0.5;
    },
  },
  'biased-coin (2/3)': { design: { method: 'biased-coin', params: { p: 2 / 3 } }, pA: (_i, d) => behindA(d, 2 / 3) },
  'big-stick (3)': {
    design: { method: 'big-stick', params: { bound: 3 } },
    pA: (_i, d) => (Math.abs(d) >= 3 ? (d > 0 ? 0 : 1) : 0.5),
  },
  'chen (2/3, 2)': {
    design: { method: 'chen', params: { p: 2 / 3, bound: 2 } },
    pA: (_i, d) => (Math.abs(d) >= 2 ? (d > 0 ? 0 : 1) : behindA(d, 2 / 3)),
  },
  'urn UD(0,1)': {
    design: { method: 'urn', params: { alpha: 0, beta: 1 } },
    pA: (i, d) => (i === 0 ? 0.5 : (i - d) / 2 / i),
  },
  'urn UD(1,2)': {
    design: { method: 'urn', params: { alpha: 1, beta: 2 } },
    pA: (i, d) => (1 + (2 * (i - d)) / 2) / (2 + 2 * i),
  },
  'minimization, one factor with one level (p 0.8)': {
    design: { method: 'minimization', params: { p: 0.8 }, factors: [{ id: 'f', levels: [{ code: 'x' }] }] },
    pA: (_i, d) => behindA(d, 0.8),
  },
};

const counters = new Map<number, (i: number, d: number) => bigint>();
RULES['maximal (3)'] = {
  design: { method: 'maximal', params: { bound: 3 } },
  pA: (i, d, n) => {
    if (!counters.has(n)) counters.set(n, pathCounter(n, 3));
    const paths = counters.get(n)!;
    return Number(paths(i + 1, d + 1)) / Number(paths(i, d));
  },
};

const TRIALS = 8000;

function expectWithin(label: string, mc: number, exactValue: number, se: number): void {
  const tolerance = 4 * se + 1e-9;
  if (Math.abs(mc - exactValue) > tolerance) {
    throw new Error(
      `${label}: Monte Carlo ${mc} vs exact ${exactValue}, |diff| ${Math.abs(mc - exactValue)} > 4·SE ${tolerance}`,
    );
  }
}

describe('the dynamic program itself reproduces the closed forms', () => {
  it('simple: P(D_n = 0) = C(n, n/2)/2^n and E|D_n| = n·C(n, n/2)/2^n', () => {
    const e = exact(12, () => 0.5);
    expect(e.probBalanced).toBeCloseTo(924 / 4096, 12);
    expect(e.meanAbs).toBeCloseTo((12 * 924) / 4096, 12);
    expect(e.correctGuessRate).toBeCloseTo(0.5, 12);
  });

  it('one block of 2, 4, 6: correct guesses 0.75, 17/24, 41/60', () => {
    const block = (size: number) => (i: number, d: number) => {
      const s = blockState(i, d, size);
      return s.remA / s.left;
    };
    expect(exact(2, block(2)).correctGuessRate).toBeCloseTo(0.75, 12);
    expect(exact(4, block(4)).correctGuessRate).toBeCloseTo(17 / 24, 12);
    expect(exact(6, block(6)).correctGuessRate).toBeCloseTo(41 / 60, 12);
  });

  it('big stick b: the forced fraction tends to 1/(2b) and correct guesses to 1/2 + 1/(4b)', () => {
    const e = exact(2000, (_i, d) => (Math.abs(d) >= 3 ? (d > 0 ? 0 : 1) : 0.5));
    expect(e.forcedRate).toBeCloseTo(1 / 6, 2);
    expect(e.correctGuessRate).toBeCloseTo(0.5 + 1 / 12, 2);
  });

  it('biased coin 2/3: correct guesses → 1 − 1/(4p) = 0.625, P(D_n = 0) → (2p − 1)/p = 1/2 for even n', () => {
    const e = exact(2000, (_i, d) => behindA(d, 2 / 3));
    expect(e.correctGuessRate).toBeCloseTo(0.625, 3);
    expect(e.probBalanced).toBeCloseTo(0.5, 6);
    expect(e.meanAbs).toBeCloseTo(4 / 3, 6);
  });
});

describe.each(Object.entries(RULES))('%s: engine Monte Carlo vs exact DP', (_name, { design, pA }) => {
  it.each([12, 50, 100])('n = %i within 4 standard errors', (n) => {
    const mc: SimulationResult = simulate(design, { n, trials: TRIALS, seed: `stat-${n}` });
    const ex = exact(n, pA);
    expectWithin(
      'E|D_n|',
      mc.meanAbsImbalance,
      ex.meanAbs,
      Math.max(mc.standardErrors.meanAbsImbalance, ex.sdAbs / Math.sqrt(TRIALS)),
    );
    expectWithin(
      'P(D_n = 0)',
      mc.probBalanced,
      ex.probBalanced,
      Math.sqrt((ex.probBalanced * (1 - ex.probBalanced)) / TRIALS),
    );
    expectWithin('correct guesses', mc.correctGuessRate, ex.correctGuessRate, mc.standardErrors.correctGuessRate);
    expectWithin('forced', mc.forcedRate, ex.forcedRate, mc.standardErrors.forcedRate);
    expect(mc.trials).toBe(TRIALS);
    expect(mc.n).toBe(n);
  });
});
