/**
 * Pocock–Simon scoring on typed arrays for the simulation's inner loop. Same rule as
 * minimization.ts (which records decisions); a unit test checks both agree.
 */
import type { MethodParams } from './params.js';
import { shiftedProbabilities } from './sequence-rules.js';

export class MinimizationKernel {
  private readonly K: number;
  private readonly weights: Float64Array;
  private readonly scores: Float64Array;
  private readonly scaled: Float64Array;
  private readonly p: number;
  private readonly variance: boolean;

  constructor(
    params: MethodParams,
    private readonly ratios: number[],
    levelCounts: number[],
  ) {
    this.K = ratios.length;
    const factors = params.factors ?? [];
    this.weights = Float64Array.from(factors, (f) => params.weights?.[f] ?? 1);
    if (this.weights.length !== levelCounts.length) throw new Error('minimization kernel: one weight per factor expected');
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
    const { K, ratios, scores, scaled } = this;
    scores.fill(0);
    for (let f = 0; f < margin.length; f++) {
      const base = level[f] * K;
      for (let c = 0; c < K; c++) {
        for (let k = 0; k < K; k++) scaled[k] = (margin[f][base + k] + (k === c ? 1 : 0)) / ratios[k];
        scores[c] += this.weights[f] * this.imbalance(scaled);
      }
    }
    let min = Infinity;
    for (let c = 0; c < K; c++) if (scores[c] < min) min = scores[c];
    let best = 0;
    for (let c = 0; c < K; c++) best += guess[c] = scores[c] - min < 1e-9 ? 1 : 0;
    shiftedProbabilities(ratios, (k) => guess[k] === 1, this.p, probs);
    return best;
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
