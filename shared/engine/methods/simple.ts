/** Simple (complete) randomization: each patient to arm k with probability r_k / Σr. */
import { simpleModel } from '../exact-models.js';
import { unblocked } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const simple: MethodDescriptor = {
  code: 'simple',
  label: 'statistician.method.simple',
  summary: 'simple (complete) randomization',
  params: [],
  live: 'optional',
  generated: true,
  rule(_params, ratios) {
    const ratioSum = ratios.reduce((s, r) => s + r, 0);
    const shares = Float64Array.from(ratios, (r) => r / ratioSum);
    return unblocked((_s, out) => out.set(shares));
  },
  simulation: { probabilities: 'constant', twoArmKernel: true },
  exact: () => simpleModel(),
};
