/**
 * Pocock–Simon scoring on typed arrays for the simulation's inner loop. Same rule as
 * minimization.ts (which records decisions); a unit test checks both agree.
 */
import { shiftedProbabilities } from './methods/rules.js';
import type { MethodParams } from './methods/types.js';

export class MinimizationKernel {
  private readonly K: number;
  private readonly weights: Float64Array;
  private readonly scores: Float64Array;
  private readonly scaled: Float64Array;
  /** Probability given to the minimizing arm(s) (two arms 1:1); the rest as in shiftedProbabilities. */
  readonly p: number;
  private readonly variance: boolean;

  constructor(
    params: MethodParams,
    private readonly ratios: number[],
    levelCounts: number[],
  ) {
    this.K = ratios.length;
    const factors = params.factors ?? [];
    this.weights = Float64Array.from(factors, (f) => params.weights?.[f] ?? 1);
    if (this.weights.length !== levelCounts.length)
      throw new Error('minimization kernel: one weight per factor expected');
    this.scores = new Float64Array(this.K);
    this.scaled = new Float64Array(this.K);
    this.p = params.p ?? 0.8;
    this.variance = params.imbalance === 'variance';
  }

  /**
   * Fill `probs` for a patient at `level[f]` of each factor given margin counts
   * (`margin[f][level*K + arm]`); mark the minimizing arms in `guess` and return how many.
   */
  probabilities(margin: Float64Array[], level: Int32Array, probs: Float64Array, guess: Uint8Array): number {
    const best = this.minimizing(margin, level, guess);
    shiftedProbabilities(this.ratios, (k) => guess[k] === 1, this.p, probs);
    return best;
  }

  /**
   * Mark in `guess` the arm(s) with the smallest weighted imbalance and return how many. The
   * simulation looks the probabilities up from this set (ShiftedTable) rather than recomputing them.
   */
  minimizing(margin: Float64Array[], level: Int32Array, guess: Uint8Array): number {
    const { K, ratios, scores, scaled, weights } = this;
    if (K === 2 && !this.variance) return this.minimizingTwoArms(margin, level, guess);
    for (let c = 0; c < K; c++) scores[c] = 0;
    for (let f = 0; f < margin.length; f++) {
      const counts = margin[f];
      const base = level[f] * K;
      for (let c = 0; c < K; c++) {
        for (let k = 0; k < K; k++) scaled[k] = (counts[base + k] + (k === c ? 1 : 0)) / ratios[k];
        scores[c] += weights[f] * this.imbalance(scaled);
      }
    }
    let min = Infinity;
    for (let c = 0; c < K; c++) if (scores[c] < min) min = scores[c];
    let best = 0;
    for (let c = 0; c < K; c++) best += guess[c] = scores[c] - min < 1e-9 ? 1 : 0;
    return best;
  }

  /**
   * Two arms, range: the range of two values is |x0 − x1| exactly (IEEE subtraction is
   * antisymmetric), so this gives the same bits as the general loop without the scratch array.
   */
  private minimizingTwoArms(margin: Float64Array[], level: Int32Array, guess: Uint8Array): number {
    const r0 = this.ratios[0];
    const r1 = this.ratios[1];
    const weights = this.weights;
    let s0 = 0;
    let s1 = 0;
    for (let f = 0; f < margin.length; f++) {
      const counts = margin[f];
      const base = level[f] * 2;
      const a0 = counts[base];
      const a1 = counts[base + 1];
      s0 += weights[f] * Math.abs((a0 + 1) / r0 - a1 / r1);
      s1 += weights[f] * Math.abs(a0 / r0 - (a1 + 1) / r1);
    }
    const min = s0 < s1 ? s0 : s1;
    const g0 = (guess[0] = s0 - min < 1e-9 ? 1 : 0);
    const g1 = (guess[1] = s1 - min < 1e-9 ? 1 : 0);
    return g0 + g1;
  }

  private imbalance(values: Float64Array): number {
    if (!this.variance) {
      let min = Infinity;
      let max = -Infinity;
      for (let k = 0; k < values.length; k++) {
        if (values[k] < min) min = values[k];
        if (values[k] > max) max = values[k];
      }
      return max - min;
    }
    let mean = 0;
    for (let k = 0; k < values.length; k++) mean += values[k];
    mean /= values.length;
    let v = 0;
    for (let k = 0; k < values.length; k++) v += (values[k] - mean) ** 2;
    return v / values.length;
  }
}
