/**
 * Building blocks of the sequential rules (ALGORITHMS.md), shared by the method descriptors.
 * Generalization to k arms and unequal ratios: "behind" means the smallest count/ratio;
 * imbalance is the range of count/ratio across arms (|N_A − N_B| for two arms 1:1).
 */
import type { RuleBody, SequenceState } from './types.js';

export function proportional(
  ratios: readonly number[],
  include: (k: number) => boolean,
  mass: number,
  out: Float64Array,
): void {
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
export function shiftedProbabilities(
  ratios: readonly number[],
  behind: (k: number) => boolean,
  p: number,
  out: Float64Array,
): void {
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
  const c = ((2 * p - 1) * Math.min(behindSum, otherSum)) / total;
  for (let k = 0; k < K; k++) {
    out[k] = behind(k)
      ? (ratios[k] / behindSum) * (behindSum / total + c)
      : (ratios[k] / otherSum) * (otherSum / total - c);
  }
}

export function biasedCoin(ratios: readonly number[], counts: number[], p: number, out: Float64Array): void {
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

/** Rules without blocks: only `probabilities` to give. */
export function unblocked(probabilities: RuleBody['probabilities']): RuleBody {
  return { usesBlocks: false, drawsBlockSizes: false, beginBlockIfNeeded: () => undefined, probabilities };
}

/** Block rules (permuted-block, truncated-binomial): a block of a drawn size holds each arm in ratio. */
export function blockRule(
  sizes: number[],
  ratios: readonly number[],
  probabilities: RuleBody['probabilities'],
): RuleBody {
  const ratioSum = ratios.reduce((s, r) => s + r, 0);
  const beginBlockIfNeeded = (state: SequenceState, draw: () => number) => {
    if (state.blockLeft > 0) return;
    const size = sizes.length === 1 ? sizes[0] : sizes[Math.min(sizes.length - 1, Math.floor(draw() * sizes.length))];
    for (let k = 0; k < ratios.length; k++) state.block[k] = (size / ratioSum) * ratios[k];
    state.blockLeft = size;
    state.blockSize = size;
  };
  return { usesBlocks: true, drawsBlockSizes: sizes.length > 1, beginBlockIfNeeded, probabilities };
}

/** Big stick (p = 1/2) and Chen: a biased coin until the imbalance reaches b, then forced toward the arm behind. */
export function boundedCoinRule(ratios: readonly number[], b: number, p: number): RuleBody {
  return unblocked((s, out) =>
    ratioRange(ratios, s.counts) >= b - 1e-9
      ? forcedToBehind(ratios, s.counts, out)
      : biasedCoin(ratios, s.counts, p, out),
  );
}
