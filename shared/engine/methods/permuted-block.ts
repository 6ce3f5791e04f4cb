/** Permuted blocks: each block of a (drawn) allowed size holds every arm in ratio, in random order. */
import { blockModel } from '../exact-models.js';
import { BLOCK_SIZES } from './param-specs.js';
import { blockRule } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const permutedBlock: MethodDescriptor = {
  code: 'permuted-block',
  label: 'statistician.method.permuted-block',
  summary: 'permuted blocks',
  params: [BLOCK_SIZES],
  live: 'never',
  generated: true,
  rule(params, ratios) {
    const ratioSum = ratios.reduce((s, r) => s + r, 0);
    return blockRule(params.blockSizes ?? [2 * ratioSum], ratios, (state, out) => {
      for (let k = 0; k < ratios.length; k++) out[k] = state.block[k] / state.blockLeft;
    });
  },
  simulation: { probabilities: 'rule', twoArmKernel: true },
  exact: (params) => blockModel('permuted-block', params.blockSizes ?? [4]),
  describe: (params, t) => `${t('statistician.method.permuted-block')} (${(params.blockSizes ?? []).join(', ')})`,
};
