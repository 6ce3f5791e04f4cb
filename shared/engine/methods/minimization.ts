/**
 * Pocock–Simon minimization: the arm(s) minimizing the weighted imbalance over the patient's
 * factor levels get probability p (generalized by ratio). It depends on the covariates of every
 * patient so far, so it runs live only and has no sequence rule: live decisions come from
 * ../minimization.ts (via dynamic.ts), simulations from the MinimizationKernel.
 */
import { EngineError } from '../errors.js';
import { MinimizationKernel } from '../simulation-minimization.js';
import { coinP } from './param-specs.js';
import type { MethodDescriptor } from './types.js';

export const minimization: MethodDescriptor = {
  code: 'minimization',
  label: 'statistician.method.minimization',
  summary: 'minimization (Pocock–Simon)',
  params: [
    coinP(0.8),
    {
      key: 'imbalance',
      kind: 'choice',
      default: 'range',
      choices: ['range', 'variance'],
      label: 'statistician.measure',
      cli: { placeholder: '<measure>', help: 'imbalance measure: range or variance' },
      form: { initial: 'range' },
    },
    { key: 'factors', kind: 'names', optional: true },
    { key: 'weights', kind: 'weights', cli: { placeholder: '<pairs>', help: 'factor weights, e.g. course=2,edss=1' } },
  ],
  live: 'always',
  generated: true,
  /** Factors default to the stratification factors, then site; weights default to 1. */
  completeForProtocol(params, protocol) {
    const available = protocol.factorIds;
    const factors = params.factors ?? available;
    if (factors.length === 0)
      throw new EngineError('minimization needs at least one factor; the protocol has no stratification factors');
    for (const f of factors)
      if (!available.includes(f))
        throw new EngineError(
          `minimization factor "${f}" is not a stratification factor of the protocol (${available.join(', ')})`,
        );
    for (const w of Object.keys(params.weights ?? {}))
      if (!factors.includes(w))
        throw new EngineError(`minimization weight for "${w}", which is not a minimization factor`);
    const weights: Record<string, number> = {};
    for (const f of factors) weights[f] = params.weights?.[f] ?? 1;
    return { ...params, factors, weights };
  },
  covariates: {
    completeForSimulation(params, factorIds) {
      if (factorIds.length === 0) throw new EngineError('simulating minimization needs at least one factor');
      params.factors = factorIds;
      params.weights = Object.fromEntries(factorIds.map((f) => [f, params.weights?.[f] ?? 1]));
      return params;
    },
    kernel: (params, ratios, levelCounts) => new MinimizationKernel(params, ratios, levelCounts),
  },
  simulation: { probabilities: 'shifted', twoArmKernel: false },
  exact: {
    refused: 'exact figures are not available for minimization (they depend on the covariates); simulate it instead',
  },
  describe: (params, t) =>
    t('statistician.describe.minimization', {
      p: Number(params.p).toFixed(2),
      measure: t(`statistician.measure.${String(params.imbalance ?? 'range')}`),
    }),
};
