/** Wei's urn UD(α, β): start with α balls per arm; each allocation adds β balls of every other arm. */
import { EngineError } from '../errors.js';
import { urnModel } from '../exact-models.js';
import { equalRatios } from './param-specs.js';
import { unblocked } from './rules.js';
import type { MethodDescriptor } from './types.js';

export const urn: MethodDescriptor = {
  code: 'urn',
  label: 'statistician.method.urn',
  summary: "Wei's urn UD(alpha, beta)",
  params: [
    {
      key: 'alpha',
      kind: 'number',
      default: 0,
      min: 0,
      label: 'statistician.urnAlpha',
      cli: { placeholder: '<a>', help: 'alpha of UD(alpha, beta)' },
      form: { initial: 0, step: 1 },
    },
    {
      key: 'beta',
      kind: 'number',
      default: 1,
      min: 0,
      label: 'statistician.urnBeta',
      cli: { placeholder: '<b>', help: 'beta of UD(alpha, beta)' },
      form: { initial: 1, step: 1 },
    },
  ],
  live: 'optional',
  generated: true,
  checkArms(arms) {
    if (!equalRatios(arms)) throw new EngineError("Wei's urn design is defined here for equal ratios only");
  },
  checkParams(params) {
    if (params.alpha === 0 && params.beta === 0) throw new EngineError('parameters alpha and beta cannot both be 0');
  },
  rule(params, ratios) {
    const alpha = params.alpha ?? 0;
    const beta = params.beta ?? 1;
    const k = ratios.length;
    return unblocked((s, out) => {
      const denominator = k * alpha + beta * (k - 1) * s.total;
      for (let a = 0; a < k; a++)
        out[a] = denominator === 0 ? 1 / k : (alpha + beta * (s.total - s.counts[a])) / denominator;
    });
  },
  simulation: { probabilities: 'rule', twoArmKernel: true },
  exact: (params) => urnModel(params.alpha ?? 0, params.beta ?? 1),
  describe: (params, t) => t('statistician.describe.urn', { alpha: String(params.alpha), beta: String(params.beta) }),
};
