/**
 * The sequential allocation rules of ALGORITHMS.md as pure functions of a small state: the
 * counts per arm so far (within a stratum) and, for block methods, what is left of the current
 * block. The same rule builds a list, answers a live allocation and drives the simulation, so
 * the figures the statistician sees are those of the code that allocates.
 *
 * Generalization to k arms and unequal ratios: "behind" means the smallest count/ratio;
 * imbalance is the range of count/ratio across arms (|N_A − N_B| for two arms 1:1).
 */
import type { MethodCode } from '../protocol/method-codes.js';
import type { MethodParams } from './params.js';
import { maximalTable, type MaximalTable } from './maximal-paths.js';

export interface SequenceState {
  /** Allocations per arm so far. */
  counts: number[];
  /** Allocations so far. */
  total: number;
  /** Block methods: allocations still to make per arm in the current block. */
  block: number[];
  /** Block methods: allocations left in the current block (0 → a new block starts). */
  blockLeft: number;
  /** Block methods: size of the current block. */
  blockSize: number;
}

export interface SequenceRule {
  readonly method: MethodCode;
  readonly ratios: readonly number[];
  /** Whether the rule works in blocks (permuted-block, truncated-binomial, maximal). */
  readonly usesBlocks: boolean;
  /** Whether block sizes are drawn (more than one allowed size); draws come from their own stream. */
  readonly drawsBlockSizes: boolean;
  /** Start the next block if the current one is used up. */
  beginBlockIfNeeded(state: SequenceState, blockSizeDraw: () => number): void;
  /** P(next allocation → arm k) into `out`; the state is not changed. */
  probabilities(state: SequenceState, out: Float64Array): void;
}

export function newSequenceState(arms: number): SequenceState {
  return { counts: new Array<number>(arms).fill(0), total: 0, block: new Array<number>(arms).fill(0), blockLeft: 0, blockSize: 0 };
}

/** Record an allocation to `arm`. */
export function commitAllocation(state: SequenceState, arm: number, usesBlocks: boolean): void {
  state.counts[arm]++;
  state.total++;
  if (usesBlocks) {
    state.block[arm]--;
    state.blockLeft--;
  }
}

/** The arm chosen by uniform `u` against cumulative probabilities (the last arm with mass absorbs rounding). */
export function pickArm(probs: Float64Array, u: number): number {
  let acc = 0;
  let last = 0;
  for (let k = 0; k < probs.length; k++) {
    if (probs[k] <= 0) continue;
    acc += probs[k];
    last = k;
    if (u < acc) return k;
  }
  return last;
}

/** Deterministic allocation: one arm had probability 1. */
export function isForced(probs: Float64Array): boolean {
  for (let k = 0; k < probs.length; k++) if (probs[k] >= 1 - 1e-12) return true;
  return false;
}

function proportional(ratios: readonly number[], include: (k: number) => boolean, mass: number, out: Float64Array): void {
  let sum = 0;
  for (let k = 0; k < ratios.length; k++) if (include(k)) sum += ratios[k];
  for (let k = 0; k < ratios.length; k++) if (include(k)) out[k] += (mass * ratios[k]) / sum;
}

/**
 * Efron-type, generalized so the allocation ratio is preserved: the arm(s) furthest behind
 * (count/ratio) get their target share plus c, the others their share minus c, with
 * c = (2p − 1)·min(share behind, share of the others); equal → target shares. Two arms 1:1 give
 * exactly Efron's p. (Giving p itself to the arm behind would drift away from a 2:1 target.)
 */
export function shiftedProbabilities(ratios: readonly number[], behind: (k: number) => boolean, p: number, out: Float64Array): void {
  const K = ratios.length;
  let total = 0;
  let behindSum = 0;
  for (let k = 0; k < K; k++) {
    total += ratios[k];
    if (behind(k)) behindSum += ratios[k];
  }
  const otherSum = total - behindSum;
  if (otherSum === 0) {
    for (let k = 0; k < K; k++) out[k] = ratios[k] / total;
    return;
  }
  const c = (2 * p - 1) * Math.min(behindSum, otherSum) / total;
  for (let k = 0; k < K; k++) {
    out[k] = behind(k) ? (ratios[k] / behindSum) * (behindSum / total + c) : (ratios[k] / otherSum) * (otherSum / total - c);
  }
}

function biasedCoin(ratios: readonly number[], counts: number[], p: number, out: Float64Array): void {
  let min = Infinity;
  for (let k = 0; k < ratios.length; k++) min = Math.min(min, counts[k] / ratios[k]);
  shiftedProbabilities(ratios, (k) => counts[k] / ratios[k] - min < 1e-9, p, out);
}

/** Range of count/ratio across arms: the imbalance the bounded rules watch. */
export function ratioRange(ratios: readonly number[], counts: number[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < ratios.length; k++) {
    const e = counts[k] / ratios[k];
    if (e < min) min = e;
    if (e > max) max = e;
  }
  return max - min;
}

function forcedToBehind(ratios: readonly number[], counts: number[], out: Float64Array): void {
  out.fill(0);
  let min = Infinity;
  for (let k = 0; k < ratios.length; k++) min = Math.min(min, counts[k] / ratios[k]);
  proportional(ratios, (k) => counts[k] / ratios[k] - min < 1e-9, 1, out);
}

/**
 * Build the rule for a method. `sequenceLength` is the maximal procedure's N when the
 * parameters give none (the list length, or n in a simulation).
 */
export function createSequenceRule(method: MethodCode, params: MethodParams, ratios: readonly number[], sequenceLength = 0): SequenceRule {
  const ratioSum = ratios.reduce((s, r) => s + r, 0);
  const noBlocks = { usesBlocks: false, drawsBlockSizes: false, beginBlockIfNeeded: () => undefined };
  const base = { method, ratios };
  switch (method) {
    case 'simple': {
      const shares = Float64Array.from(ratios, (r) => r / ratioSum);
      return { ...base, ...noBlocks, probabilities: (_s, out) => out.set(shares) };
    }
    case 'permuted-block':
    case 'truncated-binomial': {
      const sizes = params.blockSizes ?? [2 * ratioSum];
      const begin = (state: SequenceState, draw: () => number) => {
        if (state.blockLeft > 0) return;
        const size = sizes.length === 1 ? sizes[0] : sizes[Math.min(sizes.length - 1, Math.floor(draw() * sizes.length))];
        for (let k = 0; k < ratios.length; k++) state.block[k] = (size / ratioSum) * ratios[k];
        state.blockLeft = size;
        state.blockSize = size;
      };
      const probabilities =
        method === 'permuted-block'
          ? (state: SequenceState, out: Float64Array) => {
              for (let k = 0; k < ratios.length; k++) out[k] = state.block[k] / state.blockLeft;
            }
          : (state: SequenceState, out: Float64Array) => {
              out.fill(0);
              proportional(ratios, (k) => state.block[k] > 0, 1, out);
            };
      return { ...base, usesBlocks: true, drawsBlockSizes: sizes.length > 1, beginBlockIfNeeded: begin, probabilities };
    }
    case 'biased-coin': {
      const p = params.p ?? 2 / 3;
      return { ...base, ...noBlocks, probabilities: (s, out) => biasedCoin(ratios, s.counts, p, out) };
    }
    case 'big-stick':
    case 'chen': {
      const b = params.bound ?? 3;
      const p = method === 'chen' ? (params.p ?? 2 / 3) : 0.5;
      return {
        ...base,
        ...noBlocks,
        probabilities: (s, out) => (ratioRange(ratios, s.counts) >= b - 1e-9 ? forcedToBehind(ratios, s.counts, out) : biasedCoin(ratios, s.counts, p, out)),
      };
    }
    case 'urn': {
      const alpha = params.alpha ?? 0;
      const beta = params.beta ?? 1;
      const k = ratios.length;
      return {
        ...base,
        ...noBlocks,
        probabilities: (s, out) => {
          const denominator = k * alpha + beta * (k - 1) * s.total;
          for (let a = 0; a < k; a++) out[a] = denominator === 0 ? 1 / k : (alpha + beta * (s.total - s.counts[a])) / denominator;
        },
      };
    }
    case 'maximal': {
      const n = params.length ?? sequenceLength + (sequenceLength % 2);
      if (n < 2) throw new Error('maximal procedure: the sequence length must be at least 2');
      const table: MaximalTable = maximalTable(n, params.bound ?? 3);
      return {
        ...base,
        usesBlocks: true,
        drawsBlockSizes: false,
        beginBlockIfNeeded: (state) => {
          if (state.blockLeft > 0) return;
          state.block[0] = state.block[1] = n / 2;
          state.blockLeft = state.blockSize = n;
        },
        probabilities: (state, out) => {
          const position = n - state.blockLeft;
          const d = state.block[1] - state.block[0];
          out[0] = table.probabilityA(position, d);
          out[1] = 1 - out[0];
        },
      };
    }
    default:
      throw new Error(`method "${method}" is not a sequential rule`);
  }
}
