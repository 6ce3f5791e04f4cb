/**
 * Smith's generalized biased coin (GBCD; Smith 1984, Rosenberger & Lachin 2002 §3.6): each arm's
 * probability is proportional to the allocations so far to the other arms raised to ρ,
 * P(arm k) ∝ (n − N_k)^ρ — for two arms P(A) = N_B^ρ / (N_A^ρ + N_B^ρ). ρ = 0 is simple
 * randomization and ρ = 1 Wei's urn UD(0, 1) (same probabilities to the last bit, so the same
 * lists from the same seed); a larger ρ balances harder. Equal ratios only, like the urn; the
 * first patient gets equal shares.
 */
import { EngineError } from '../errors.js';
import { countsModel } from '../exact-models.js';
import { equalRatios } from './param-specs.js';
import { unblocked } from './rules.js';
import type { MethodDescriptor } from './types.js';

const RHO = 2;

/** P(arm a) for counts N_a out of n allocations, into `out` (weights in `w`). */
function gbcd(counts: ArrayLike<number>, total: number, rho: number, w: Float64Array, out: Float64Array): void {
  const k = w.length;
  let sum = 0;
  for (let a = 0; a < k; a++) sum += w[a] = (total - counts[a]) ** rho;
  for (let a = 0; a < k; a++) out[a] = sum === 0 ? 1 / k : w[a] / sum;
}

export const generalizedBiasedCoin: MethodDescriptor = {
  code: 'generalized-biased-coin',
  label: 'statistician.method.generalized-biased-coin',
  summary: "Smith's generalized biased coin",
  params: [
    {
      key: 'rho',
      kind: 'number',
      default: RHO,
      min: 0,
      max: 20,
      label: 'statistician.rho',
      cli: { placeholder: '<rho>', help: 'exponent rho (0: simple randomization, 1: urn UD(0, 1))' },
      form: { initial: RHO, step: 0.5 },
    },
  ],
  live: 'optional',
  generated: true,
  checkArms(arms) {
    if (!equalRatios(arms))
      throw new EngineError("Smith's generalized biased coin is defined here for equal ratios only");
  },
  rule(params, ratios) {
    const rho = (params.rho as number | undefined) ?? RHO;
    const w = new Float64Array(ratios.length);
    return unblocked((s, out) => gbcd(s.counts, s.total, rho, w, out));
  },
  simulation: { probabilities: 'rule', twoArmKernel: false },
  exact(params) {
    const rho = (params.rho as number | undefined) ?? RHO;
    const w = new Float64Array(2);
    const out = new Float64Array(2);
    const p = (i: number, a: number, b: number) => (gbcd([a, b], i, rho, w, out), out);
    return countsModel(
      (i, a, b) => p(i, a, b)[0],
      (i, a, b) => p(i, a, b)[1],
    );
  },
  describe: (params, t) => `${t('statistician.method.generalized-biased-coin')} ρ=${String(params.rho)}`,
};
