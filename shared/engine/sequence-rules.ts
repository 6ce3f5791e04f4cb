/**
 * The sequential allocation rules of ALGORITHMS.md as pure functions of a small state: the
 * counts per arm so far (within a stratum) and, for block methods, what is left of the current
 * block. The same rule builds a list, answers a live allocation and drives the simulation, so
 * the figures the statistician sees are those of the code that allocates. Each method's rule is
 * in its descriptor (methods/<method>.ts); the building blocks are in methods/rules.ts.
 */
import type { MethodParams } from './params.js';
import { findMethod } from './methods/index.js';
import type { SequenceRule, SequenceState } from './methods/types.js';

export type { SequenceRule, SequenceState } from './methods/types.js';
export { ratioRange, shiftedProbabilities } from './methods/rules.js';

export function newSequenceState(arms: number): SequenceState {
  return {
    counts: new Array<number>(arms).fill(0),
    total: 0,
    block: new Array<number>(arms).fill(0),
    blockLeft: 0,
    blockSize: 0,
  };
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

/**
 * Build the rule for a method (its descriptor's). `sequenceLength` is the maximal procedure's N
 * when the parameters give none (the list length, or n in a simulation).
 */
export function createSequenceRule(
  method: string,
  params: MethodParams,
  ratios: readonly number[],
  sequenceLength = 0,
): SequenceRule {
  const build = findMethod(method)?.rule;
  if (!build) throw new Error(`method "${method}" is not a sequential rule`);
  return { method, ratios, ...build(params, ratios, sequenceLength) };
}
