/**
 * Two-arm 1:1 designs as Markov chains for the exact dynamic program (exact.ts). A state is
 * (hidden, d) with d = N_A − N_B; `hidden` is whatever else the design remembers (for block
 * designs the block size and the position in the block; nothing for the others). Every
 * probability is computed the way sequence-rules.ts computes it, so the exact figures are those
 * of the code that allocates (the unit tests check this by enumerating every path of the rules).
 */
import { maximalTable } from './maximal-paths.js';

/** Transitions out of one state, written into the model's buffers (no allocation per state). */
export interface Transitions {
  count: number;
  /** Probability of the transition (size draw × arm). */
  weight: Float64Array;
  /** +1: patient to A; −1: to B. */
  dir: Int8Array;
  next: Int32Array;
  /** 1 when the allocation was deterministic (one arm had probability 1). */
  forced: Uint8Array;
}

export interface ExactModel {
  /** Number of hidden states; state 0 is the start. */
  hidden: number;
  /** Whether step() ignores i (its transitions can then be cached per state). */
  timeInvariant: boolean;
  /** Fill `t` with the transitions from (hidden h, imbalance d) before patient i+1 (i allocated so far). */
  step(i: number, h: number, d: number, t: Transitions): void;
}

const isOne = (p: number) => p >= 1 - 1e-12;

export function newTransitions(max: number): Transitions {
  return {
    count: 0,
    weight: new Float64Array(max),
    dir: new Int8Array(max),
    next: new Int32Array(max),
    forced: new Uint8Array(max),
  };
}

/** Both arms' transitions from P(A) = pA, P(B) = pB (as the rule computes them), into hidden state `next`. */
function emit(t: Transitions, scale: number, pA: number, pB: number, next: number): void {
  const forced = isOne(pA) || isOne(pB) ? 1 : 0;
  if (pA > 0) push(t, scale * pA, 1, next, forced);
  if (pB > 0) push(t, scale * pB, -1, next, forced);
}

function push(t: Transitions, w: number, dir: number, next: number, forced: number): void {
  const k = t.count++;
  t.weight[k] = w;
  t.dir[k] = dir;
  t.next[k] = next;
  t.forced[k] = forced;
}

/** Efron-type probabilities of sequence-rules.ts for two arms 1:1: [P(A), P(B)] from d. */
function shifted(d: number, p: number): [number, number] {
  if (d === 0) return [0.5, 0.5];
  const c = ((2 * p - 1) * 1) / 2;
  const behind = 0.5 + c;
  const other = 0.5 - c;
  return d < 0 ? [behind, other] : [other, behind];
}

/** Simple randomization: 1/2 each, whatever the state. */
export function simpleModel(): ExactModel {
  return { hidden: 1, timeInvariant: true, step: (_i, _h, _d, t) => ((t.count = 0), emit(t, 1, 0.5, 0.5, 0)) };
}

/** Efron's biased coin p. */
export function coinModel(p: number): ExactModel {
  return { hidden: 1, timeInvariant: true, step: (_i, _h, d, t) => ((t.count = 0), emit(t, 1, ...shifted(d, p), 0)) };
}

/** Big stick (p = 1/2) and Chen: the coin p until |d| reaches b, then forced toward the arm behind. */
export function boundedModel(b: number, p: number): ExactModel {
  return {
    hidden: 1,
    timeInvariant: true,
    step: (_i, _h, d, t) => {
      t.count = 0;
      if (Math.abs(d) >= b - 1e-9) emit(t, 1, d < 0 ? 1 : 0, d < 0 ? 0 : 1, 0);
      else emit(t, 1, ...shifted(d, p), 0);
    },
  };
}

/**
 * A design whose P(A) is a function of (i, d) alone, as the rule computes it from the counts
 * N_A = (i + d)/2 and N_B = (i − d)/2; P(B) is `probabilityB` (default 1 − P(A)).
 */
export function countsModel(
  probabilityA: (i: number, a: number, b: number) => number,
  probabilityB?: (i: number, a: number, b: number) => number,
): ExactModel {
  return {
    hidden: 1,
    timeInvariant: false,
    step: (i, _h, d, t) => {
      t.count = 0;
      const a = (i + d) / 2;
      const b = (i - d) / 2;
      const pA = probabilityA(i, a, b);
      emit(t, 1, pA, probabilityB ? probabilityB(i, a, b) : 1 - pA, 0);
    },
  };
}

/** Wei's urn UD(alpha, beta). */
export function urnModel(alpha: number, beta: number): ExactModel {
  return {
    hidden: 1,
    timeInvariant: false,
    step: (i, _h, d, t) => {
      t.count = 0;
      const a = (i + d) / 2;
      const b = (i - d) / 2;
      const denominator = 2 * alpha + beta * i;
      if (denominator === 0) emit(t, 1, 0.5, 0.5, 0);
      else emit(t, 1, (alpha + beta * (i - a)) / denominator, (alpha + beta * (i - b)) / denominator, 0);
    },
  };
}

/** The maximal procedure with sequences of length N and bound b. */
export function maximalModel(N: number, bound: number): ExactModel {
  const table = maximalTable(N, bound);
  return {
    hidden: 1,
    timeInvariant: false,
    step: (i, _h, d, t) => {
      t.count = 0;
      // Blocks of N end balanced, so d is also the imbalance within the current block.
      const pA = table.probabilityA(i % N, d);
      emit(t, 1, pA, 1 - pA, 0);
    },
  };
}

/**
 * Hidden state 0: a block starts (its size is drawn uniformly from the sizes); otherwise
 * (size index, position j in 1 … size−1). Blocks of a 1:1 design end balanced, so d is the
 * imbalance within the current block and, with j, gives what is left of each arm.
 */
export function blockModel(method: 'permuted-block' | 'truncated-binomial', sizes: number[]): ExactModel {
  const offset: number[] = [];
  const sizeOf: number[] = [0];
  const posOf: number[] = [0];
  let hidden = 1;
  sizes.forEach((size, s) => {
    offset.push(hidden);
    for (let j = 1; j < size; j++) {
      sizeOf.push(s);
      posOf.push(j);
    }
    hidden += size - 1;
  });
  const within = (t: Transitions, scale: number, s: number, j: number, d: number) => {
    const size = sizes[s];
    const usedA = (j + d) / 2;
    const remA = size / 2 - usedA;
    const remB = size / 2 - (j - usedA);
    const left = size - j;
    const next = j + 1 === size ? 0 : offset[s] + j; // state of position j+1
    if (method === 'permuted-block') emit(t, scale, remA / left, remB / left, next);
    else emit(t, scale, remA > 0 ? (remB > 0 ? 0.5 : 1) : 0, remB > 0 ? (remA > 0 ? 0.5 : 1) : 0, next);
  };
  return {
    hidden,
    timeInvariant: true,
    step: (_i, h, d, t) => {
      t.count = 0;
      if (h === 0) for (let s = 0; s < sizes.length; s++) within(t, 1 / sizes.length, s, 0, d);
      else within(t, 1, sizeOf[h], posOf[h], d);
    },
  };
}
