/** Chen's biased coin with imbalance tolerance: Efron's coin p until the imbalance reaches b, then forced. */
import { boundedModel } from '../exact-models.js';
import { BOUND, coinP } from './param-specs.js';
import { boundedCoinRule } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const chen: MethodDescriptor = {
  code: 'chen',
  label: 'statistician.method.chen',
  summary: "Chen's biased coin with imbalance tolerance",
  params: [coinP(2 / 3), BOUND],
  live: 'optional',
  generated: true,
  rule: (params, ratios) => boundedCoinRule(ratios, params.bound ?? 3, params.p ?? 2 / 3),
  simulation: { probabilities: 'rule', twoArmKernel: true },
  exact: (params) => boundedModel(params.bound ?? 3, params.p ?? 2 / 3),
  describe: (params, t) => t('statistician.describe.chen', { p: Number(params.p).toFixed(2), b: String(params.bound) }),
};
