/**
 * Exact design figures (no simulation noise) for two-arm 1:1 designs without covariates, by a
 * dynamic program over the state (hidden, D_i) of exact-models.ts; recurrences in docs/ALGORITHMS.md.
 *
 * One forward pass over i = 0 … n−1 gives the law of D_n (so E|D_n|, P(D_n = 0), quantiles) and,
 * summing over the states at each step, the expected numbers of correct guesses and forced
 * allocations. max_i |D_i| is not a function of the state, so its law comes from one more pass per
 * level m with |D| = m absorbing: the absorbed mass is P(max_i |D_i| ≥ m). Those passes stop when
 * the remaining tail cannot change E max|D_i| in double precision (below 1e-17 of it).
 */
import { EngineError } from './errors.js';
import { newTransitions, type ExactModel, type Transitions } from './exact-models.js';
import { methodDescriptor } from './methods/index.js';
import { prepareDesign } from './simulation-core.js';
import type { Quantiles, SimulationDesign, SimulationResult } from './simulation-types.js';

/** Largest n the exact mode accepts: the max|D_i| passes cost about n·m² for unbounded designs. */
export const EXACT_MAX_N = 2000;

export interface ExactResult extends SimulationResult {
  exact: true;
  /** P(|D_n| = k), k = 0 … n. */
  absImbalanceDistribution: number[];
  /** P(max_i |D_i| = m), m = 0 … (largest m with mass). */
  maxAbsImbalanceDistribution: number[];
}

interface Pass {
  /** Mass per state at the end: index h·(n+1) + |d|. */
  mass: Float64Array;
  correct: number;
  forced: number;
  /** Largest |D_i| with positive probability at any i. */
  reach: number;
  /** Mass that reached |D| = barrier (0 without a barrier). */
  absorbed: number;
}

/**
 * Transitions of every state, for models whose transitions do not depend on i: computed once
 * into flat arrays and read in place by every pass (the max|D_i| passes would otherwise
 * recompute them n·m times). State (h, d ≥ 0) has `count[key]` transitions from `start[key]`.
 */
interface TransitionTable {
  start: Int32Array;
  count: Int32Array;
  weight: Float64Array;
  dir: Int8Array;
  next: Int32Array;
  forced: Uint8Array;
}

function transitionTable(model: ExactModel, n: number, t: Transitions): TransitionTable {
  const states = model.hidden * (n + 1);
  const start = new Int32Array(states);
  const count = new Int32Array(states);
  const per = t.weight.length;
  const table = {
    start,
    count,
    weight: new Float64Array(states * per),
    dir: new Int8Array(states * per),
    next: new Int32Array(states * per),
    forced: new Uint8Array(states * per),
  };
  let at = 0;
  for (let h = 0; h < model.hidden; h++) {
    for (let d = 0; d <= n; d++) {
      const key = h * (n + 1) + d;
      model.step(0, h, d, t); // unreachable (h, d) pairs give entries that are never read
      start[key] = at;
      count[key] = t.count;
      table.weight.set(t.weight.subarray(0, t.count), at);
      table.dir.set(t.dir.subarray(0, t.count), at);
      table.next.set(t.next.subarray(0, t.count), at);
      table.forced.set(t.forced.subarray(0, t.count), at);
      at += t.count;
    }
  }
  return table;
}

/**
 * Forward pass; with `barrier`, states at |D| = barrier are absorbed (counted, then dropped).
 * Every design here treats A and B alike (swapping them maps (h, d) to (h, −d) with the same
 * probabilities), so the pass keeps |d| only: half the states, same figures.
 */
function forward(
  model: ExactModel,
  n: number,
  t: Transitions,
  table: TransitionTable | null,
  barrier = Infinity,
): Pass {
  const width = n + 1;
  const H = model.hidden;
  let mass = new Float64Array(H * width);
  let next = new Float64Array(H * width);
  mass[0] = 1; // hidden 0, d 0
  let correct = 0;
  let forced = 0;
  let reach = 0;
  let absorbed = 0;
  // Where the transitions are read: the table in place, or the model's buffers after step().
  const weight = table ? table.weight : t.weight;
  const dirs = table ? table.dir : t.dir;
  const nexts = table ? table.next : t.next;
  const forceds = table ? table.forced : t.forced;
  for (let i = 0; i < n; i++) {
    next.fill(0);
    const span = Math.min(i, barrier - 1); // |d| ≤ i, and < barrier while absorbing
    for (let h = 0; h < H; h++) {
      const row = h * width;
      for (let d = 0; d <= span; d++) {
        const m = mass[row + d];
        if (m === 0) continue;
        let from = 0;
        let count: number;
        if (table) {
          from = table.start[row + d];
          count = table.count[row + d];
        } else {
          model.step(i, h, d, t);
          count = t.count;
        }
        for (let k = from; k < from + count; k++) {
          const w = m * weight[k];
          const dir = dirs[k];
          // Convergence strategy: guess the arm behind (B, as d > 0); a tie scores 1/2.
          correct += d === 0 ? w / 2 : dir < 0 ? w : 0;
          if (forceds[k]) forced += w;
          const nd = d + dir;
          const a = nd < 0 ? -nd : nd;
          if (a > reach) reach = a;
          if (a >= barrier) absorbed += w;
          else next[nexts[k] * width + a] += w;
        }
      }
    }
    const swap = mass;
    mass = next;
    next = swap;
  }
  return { mass, correct, forced, reach, absorbed };
}

/**
 * A model without hidden state as a walk on |D|: from |D| = d before patient i+1, `away` is the
 * probability that |D| grows (for d = 0: the patient goes to A) and `toward` that it shrinks (d = 0:
 * to B; both make |D| = 1). The values are the model's own transition weights, read once (per d, or
 * per (i, d) for the designs that depend on i) so that the max|D_i| passes, which dominate the cost
 * at large n (about n·m²/4 updates), run a tight loop over the reachable parity only.
 */
class Walk {
  private away = new Float64Array(0);
  private toward = new Float64Array(0);
  /** Rows cover |D| < cap (time-dependent models: one row of cap entries per i). */
  private cap = 0;

  constructor(
    private readonly model: ExactModel,
    private readonly n: number,
    private readonly t: Transitions,
  ) {}

  private fill(cap: number): void {
    const rows = this.model.timeInvariant ? 1 : this.n;
    this.cap = cap;
    this.away = new Float64Array(rows * cap);
    this.toward = new Float64Array(rows * cap);
    for (let i = 0; i < rows; i++) {
      for (let d = 0; d < cap && d <= Math.max(i, this.model.timeInvariant ? this.n : 0); d++) {
        this.model.step(i, 0, d, this.t);
        let away = 0;
        let toward = 0;
        for (let k = 0; k < this.t.count; k++) {
          if (this.t.dir[k] > 0) away += this.t.weight[k];
          else toward += this.t.weight[k];
        }
        this.away[i * cap + d] = away;
        this.toward[i * cap + d] = toward;
      }
    }
  }

  /** Mass that reaches |D| = barrier within n patients: P(max_i |D_i| ≥ barrier). */
  absorbed(barrier: number): number {
    if (barrier > this.cap)
      this.fill(this.model.timeInvariant ? this.n + 1 : Math.min(this.n + 1, Math.max(2 * barrier, 64)));
    const { away, toward, cap, n } = this;
    const rowStep = this.model.timeInvariant ? 0 : cap;
    let mass = new Float64Array(barrier + 1);
    let next = new Float64Array(barrier + 1);
    mass[0] = 1;
    let absorbed = 0;
    const top = barrier - 1;
    for (let i = 0; i < n; i++) {
      const row = i * rowStep;
      const span = Math.min(i, top); // |D_i| ≤ span; |D_i| has the parity of i (the other entries are never read)
      const lim = Math.min(i + 1, top);
      if (top <= span && ((top ^ i) & 1) === 0) absorbed += mass[top] * away[row + top];
      // Each reachable |D_{i+1}| = e is written once, from e − 1 (growing) then e + 1 (shrinking):
      // the same sums in the same order as pushing mass forward state by state.
      let e = (i + 1) & 1;
      if (e === 0) {
        next[0] = span >= 1 ? mass[1] * toward[row + 1] : 0;
        e = 2;
      } else {
        const fromZero = mass[0] * away[row] + mass[0] * toward[row]; // from 0 both arms make |D| = 1
        next[1] = span >= 2 ? fromZero + mass[2] * toward[row + 2] : fromZero;
        e = 3;
      }
      for (; e <= lim; e += 2) {
        const grown = mass[e - 1] * away[row + e - 1];
        next[e] = e + 1 <= span ? grown + mass[e + 1] * toward[row + e + 1] : grown;
      }
      const swap = mass;
      mass = next;
      next = swap;
    }
    return absorbed;
  }
}

/** Smallest k with P(X ≤ k) ≥ q (the quantile of the exact law; 1e-12 absorbs rounding at atoms). */
function quantile(dist: number[], q: number): number {
  let acc = 0;
  for (let k = 0; k < dist.length; k++) {
    acc += dist[k];
    if (acc >= q - 1e-12) return k;
  }
  return dist.length - 1;
}

function quantiles(dist: number[]): Quantiles {
  return {
    p5: quantile(dist, 0.05),
    p25: quantile(dist, 0.25),
    p50: quantile(dist, 0.5),
    p75: quantile(dist, 0.75),
    p95: quantile(dist, 0.95),
  };
}

/** Check that a design has an exact form here; returns its prepared form or throws an EngineError saying why not. */
export function checkExactDesign(design: SimulationDesign, n: number) {
  const prepared = prepareDesign(design);
  if (prepared.factors.length > 0)
    throw new EngineError(
      'exact figures are available only without covariates (no --factors); simulate this design instead',
    );
  if (prepared.arms.length !== 2)
    throw new EngineError(
      `exact figures are available for two arms only, got ${prepared.arms.length}; simulate this design instead`,
    );
  if (prepared.arms[0].ratio !== 1 || prepared.arms[1].ratio !== 1)
    throw new EngineError(
      `exact figures are available for a 1:1 ratio only, got ${prepared.arms.map((a) => a.ratio).join(':')}; simulate this design instead`,
    );
  if (!Number.isInteger(n) || n < 1 || n > EXACT_MAX_N)
    throw new EngineError(`exact figures: n must be a whole number between 1 and ${EXACT_MAX_N}, got ${n}`);
  const exact = methodDescriptor(prepared.method).exact;
  if (exact === undefined) throw new EngineError(`exact figures are not available for method "${prepared.method}"`);
  if (typeof exact !== 'function') throw new EngineError(exact.refused);
  return prepared;
}

/** The method's exact model (its descriptor's; checkExactDesign made sure there is one). */
function exactModel(prepared: ReturnType<typeof checkExactDesign>, n: number): ExactModel {
  return (methodDescriptor(prepared.method).exact as (params: typeof prepared.params, n: number) => ExactModel)(
    prepared.params,
    n,
  );
}

/** The exact figures of a two-arm 1:1 design without covariates at n patients (same fields as simulate(), plus exact: true). */
export function exactFigures(design: SimulationDesign, n: number): ExactResult {
  const prepared = checkExactDesign(design, n);
  const model = exactModel(prepared, n);
  const t = newTransitions(64 + 2 * (prepared.params.blockSizes?.length ?? 1));
  const table = model.timeInvariant ? transitionTable(model, n, t) : null;
  const main = forward(model, n, t, table);
  const width = n + 1;
  const absDist = new Array<number>(n + 1).fill(0);
  for (let h = 0; h < model.hidden; h++) for (let d = 0; d <= n; d++) absDist[d] += main.mass[h * width + d];
  let meanAbs = 0;
  absDist.forEach((p, k) => (meanAbs += p * k));
  // P(max ≥ m) for m = 1 … reach; max ≥ 1 is certain once a patient is allocated.
  const atLeast: number[] = [1, 1];
  let meanMax = 1;
  const walk = model.hidden === 1 ? new Walk(model, n, t) : null;
  for (let m = 2; m <= main.reach; m++) {
    const tail = walk ? walk.absorbed(m) : forward(model, n, t, table, m).absorbed;
    atLeast.push(tail);
    meanMax += tail;
    if (tail === 0 || tail * (main.reach - m + 1) < 1e-17 * meanMax) break;
  }
  const maxDist = atLeast.map((p, m) => (m === 0 ? 0 : p - (atLeast[m + 1] ?? 0)));
  while (maxDist.length > 1 && maxDist[maxDist.length - 1] === 0) maxDist.pop();
  return {
    method: prepared.method,
    params: prepared.params,
    arms: prepared.arms,
    n,
    trials: 0,
    meanAbsImbalance: meanAbs,
    absImbalanceQuantiles: quantiles(absDist),
    meanMaxAbsImbalance: meanMax,
    maxAbsImbalanceQuantiles: quantiles(maxDist),
    probBalanced: absDist[0],
    correctGuessRate: main.correct / n,
    forcedRate: main.forced / n,
    // A and B are treated alike, so each gets half on average.
    armProportions: { [prepared.arms[0].code]: 0.5, [prepared.arms[1].code]: 0.5 },
    standardErrors: { meanAbsImbalance: 0, probBalanced: 0, correctGuessRate: 0, forcedRate: 0 },
    seconds: null,
    exact: true,
    absImbalanceDistribution: absDist,
    maxAbsImbalanceDistribution: maxDist,
  };
}
