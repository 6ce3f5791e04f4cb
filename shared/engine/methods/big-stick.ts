/** Soares & Wu's big stick: a fair coin until the imbalance reaches b, then forced toward the arm behind. */
import { boundedModel } from '../exact-models.js';
import { BOUND } from './param-specs.js';
import { boundedCoinRule } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const bigStick: MethodDescriptor = {
  code: 'big-stick',
  label: 'statistician.method.big-stick',
  summary: 'big stick (imbalance bound b)',
  params: [BOUND],
  live: 'optional',
  generated: true,
  rule: (params, ratios) => boundedCoinRule(ratios, params.bound ?? 3, 0.5),
  simulation: { probabilities: 'rule', twoArmKernel: true },
  exact: (params) => boundedModel(params.bound ?? 3, 0.5),
  describe: (params, t) => t('statistician.describe.bigStick', { b: String(params.bound) }),
};
