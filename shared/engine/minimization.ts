/**
 * Pocock–Simon minimization as a pure step: given the counts so far, a patient's covariates and
 * one uniform draw, choose the arm and say why (candidate scores, probabilities), so that every
 * decision can be replayed from the recorded draw.
 *
 * For each candidate arm the patient is added hypothetically; per factor, the imbalance of the
 * counts at the patient's level (divided by the arm's ratio, for unequal allocation) is the range
 * or the variance; the total is Σ weight × imbalance. With two arms 1:1 the minimizing arm gets
 * probability p; in general the minimizing arm(s) get their target share raised as in the
 * biased coin (shiftedProbabilities), so unequal ratios keep their target. When every arm ties,
 * arms are drawn by ratio — so with one factor and two arms this is Efron's biased coin.
 */
import { pickArm, shiftedProbabilities } from './sequence-rules.js';

export interface MinimizationConfig {
  ratios: readonly number[];
  /** Factor ids in a fixed order. */
  factors: readonly string[];
  /** Weight per factor, aligned with `factors`. */
  weights: readonly number[];
  p: number;
  imbalance: 'range' | 'variance';
}

/** counts[factorIndex].get(level)[arm]: allocations so far per factor level and arm. */
export interface MinimizationState {
  counts: Array<Map<string, number[]>>;
}

export interface MinimizationStep {
  arm: number;
  /** Total weighted imbalance if the patient went to each arm. */
  scores: number[];
  probabilities: number[];
}

export function newMinimizationState(config: MinimizationConfig): MinimizationState {
  return { counts: config.factors.map(() => new Map<string, number[]>()) };
}

function levelCounts(state: MinimizationState, factor: number, level: string, arms: number): number[] {
  let c = state.counts[factor].get(level);
  if (!c) {
    c = new Array<number>(arms).fill(0);
    state.counts[factor].set(level, c);
  }
  return c;
}

function imbalanceOf(values: number[], measure: 'range' | 'variance'): number {
  if (measure === 'range') return Math.max(...values) - Math.min(...values);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
}

/** Scores and probabilities for a patient, without choosing. */
export function minimizationProbabilities(
  config: MinimizationConfig,
  state: MinimizationState,
  covariates: Record<string, string>,
): { scores: number[]; probabilities: number[] } {
  const arms = config.ratios.length;
  const scores = new Array<number>(arms).fill(0);
  const scaled = new Array<number>(arms);
  for (let f = 0; f < config.factors.length; f++) {
    const level = covariates[config.factors[f]];
    if (level === undefined)
      throw new Error(`minimization: the patient has no level for factor "${config.factors[f]}"`);
    const counts = levelCounts(state, f, level, arms);
    for (let candidate = 0; candidate < arms; candidate++) {
      for (let k = 0; k < arms; k++) scaled[k] = (counts[k] + (k === candidate ? 1 : 0)) / config.ratios[k];
      scores[candidate] += config.weights[f] * imbalanceOf(scaled, config.imbalance);
    }
  }
  const min = Math.min(...scores);
  const best = scores.map((s) => s - min < 1e-9);
  const out = new Float64Array(arms);
  shiftedProbabilities(config.ratios, (k) => best[k], config.p, out);
  return { scores, probabilities: Array.from(out) };
}

/** The pure step `next(state, patient, draw)`: choose an arm (the state is not changed). */
export function minimizationNext(
  config: MinimizationConfig,
  state: MinimizationState,
  covariates: Record<string, string>,
  u: number,
): MinimizationStep {
  const { scores, probabilities } = minimizationProbabilities(config, state, covariates);
  return { arm: pickArm(Float64Array.from(probabilities), u), scores, probabilities };
}

/** Record an allocation in the counts. */
export function minimizationCommit(
  config: MinimizationConfig,
  state: MinimizationState,
  covariates: Record<string, string>,
  arm: number,
): void {
  for (let f = 0; f < config.factors.length; f++)
    levelCounts(state, f, covariates[config.factors[f]], config.ratios.length)[arm]++;
}
