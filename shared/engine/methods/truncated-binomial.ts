/** Truncated binomial: a fair coin (by ratio) within the block until an arm's share of the block is used up. */
import { blockModel } from '../exact-models.js';
import { BLOCK_SIZES } from './param-specs.js';
import { blockRule, proportional } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const truncatedBinomial: MethodDescriptor = {
  code: 'truncated-binomial',
  label: 'statistician.method.truncated-binomial',
  summary: 'truncated binomial',
  params: [BLOCK_SIZES],
  live: 'never',
  generated: true,
  rule(params, ratios) {
    const ratioSum = ratios.reduce((s, r) => s + r, 0);
    return blockRule(params.blockSizes ?? [2 * ratioSum], ratios, (state, out) => {
      out.fill(0);
      proportional(ratios, (k) => state.block[k] > 0, 1, out);
    });
  },
  simulation: { probabilities: 'rule', twoArmKernel: true },
  exact: (params) => blockModel('truncated-binomial', params.blockSizes ?? [4]),
  describe: (params, t) => `${t('statistician.method.truncated-binomial')} (${(params.blockSizes ?? []).join(', ')})`,
};
