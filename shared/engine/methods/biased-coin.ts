/** Efron's biased coin: probability p toward the arm behind (generalized by ratio, rules.ts). */
import { coinModel } from '../exact-models.js';
import { coinP } from './param-specs.js';
import { biasedCoin as coin, unblocked } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const biasedCoin: MethodDescriptor = {
  code: 'biased-coin',
  label: 'statistician.method.biased-coin',
  summary: "Efron's biased coin",
  params: [coinP(2 / 3)],
  live: 'optional',
  generated: true,
  rule(params, ratios) {
    const p = params.p ?? 2 / 3;
    return unblocked((s, out) => coin(ratios, s.counts, p, out));
  },
  simulation: { probabilities: 'shifted', twoArmKernel: true },
  exact: (params) => coinModel(params.p ?? 2 / 3),
  describe: (params, t) => t('statistician.describe.biasedCoin', { p: Number(params.p).toFixed(2) }),
};
