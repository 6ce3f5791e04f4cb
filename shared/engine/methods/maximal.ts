/**
 * Berger's maximal procedure: each sequence of length N is drawn uniformly from all balanced
 * sequences whose imbalance never exceeds b (maximal-paths.ts counts them).
 */
import { EngineError } from '../errors.js';
import { maximalModel } from '../exact-models.js';
import { maximalTable } from '../maximal-paths.js';
import { BOUND, equalRatios } from './param-specs.js';
import type { MethodDescriptor } from './types.js';

export const maximal: MethodDescriptor = {
  code: 'maximal',
  label: 'statistician.method.maximal',
  summary: 'maximal procedure',
  params: [
    BOUND,
    {
      key: 'length',
      kind: 'integer',
      even: true,
      min: 2,
      optional: true,
      cli: { placeholder: '<n>', help: 'sequence length N (default: the list length, or n in a simulation)' },
    },
  ],
  live: 'never',
  generated: true,
  checkArms(arms) {
    if (arms.length !== 2 || !equalRatios(arms))
      throw new EngineError('the maximal procedure is defined for two arms with a 1:1 ratio');
  },
  rule(params, _ratios, sequenceLength) {
    const n = params.length ?? sequenceLength + (sequenceLength % 2);
    if (n < 2) throw new Error('maximal procedure: the sequence length must be at least 2');
    const table = maximalTable(n, params.bound ?? 3);
    return {
      usesBlocks: true,
      drawsBlockSizes: false,
      beginBlockIfNeeded: (state) => {
        if (state.blockLeft > 0) return;
        state.block[0] = state.block[1] = n / 2;
        state.blockLeft = state.blockSize = n;
      },
      probabilities: (state, out) => {
        const position = n - state.blockLeft;
        const d = state.block[1] - state.block[0];
        out[0] = table.probabilityA(position, d);
        out[1] = 1 - out[0];
      },
    };
  },
  simulation: { probabilities: 'rule', twoArmKernel: false },
  exact: (params, n) => maximalModel(params.length ?? n + (n % 2), params.bound ?? 3),
  describe: (params, t) => t('statistician.describe.maximal', { b: String(params.bound) }),
};
