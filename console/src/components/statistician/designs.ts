/** Candidate designs the statistician can compare, and the design form, built from the method descriptors (shared/engine/methods/). */
import type { CandidateDesign } from '../../workers/protocol.js';
import { t } from '../../i18n/index.js';
import { GENERATED_METHODS, findMethod, type MethodParams } from '../../../../shared/engine/methods/index.js';
import { initialForm, paramsFromForm, type ParamForm } from '../../../../shared/engine/methods/form.js';

/** Method names in the reader's language (each descriptor's label key): getters, so a template re-renders on a language switch. */
export const METHOD_LABELS: Record<string, string> = Object.defineProperties(
  {} as Record<string, string>,
  Object.fromEntries(GENERATED_METHODS.map((m) => [m.code, { get: () => t(m.label), enumerable: true }])),
);

/** A design in a few words (the descriptor's description, else the method's name). */
export function describe(method: string, params: Record<string, unknown>): string {
  const descriptor = findMethod(method);
  if (!descriptor) return method;
  return descriptor.describe ? descriptor.describe(params as MethodParams, t) : t(descriptor.label);
}

/** A standard comparison set (two-arm 1:1 reference values are in ALGORITHMS.md). */
export const COMPARISON_SET: CandidateDesign[] = [
  { method: 'simple', params: {} },
  { method: 'permuted-block', params: { blockSizes: [2] } },
  { method: 'permuted-block', params: { blockSizes: [4] } },
  { method: 'permuted-block', params: { blockSizes: [2, 4] } },
  { method: 'biased-coin', params: { p: 2 / 3 } },
  { method: 'big-stick', params: { bound: 3 } },
  { method: 'maximal', params: { bound: 3 } },
  { method: 'urn', params: { alpha: 0, beta: 1 } },
  { method: 'minimization', params: { p: 0.8, imbalance: 'range' } },
].map((d, i) => ({
  ...d,
  key: `c${i}`,
  get label() {
    return describe(d.method, d.params);
  },
}));

export const PALETTE = [
  '#1f5f8b',
  '#c0392b',
  '#2e8b57',
  '#8e44ad',
  '#d68910',
  '#17a2b8',
  '#6c757d',
  '#b03a8a',
  '#4e6e1a',
  '#a0522d',
];

export type { ParamForm } from '../../../../shared/engine/methods/form.js';
export { formFields } from '../../../../shared/engine/methods/form.js';

/** The initial values of the design form (every method's form parameters). */
export const DEFAULT_PARAMS: ParamForm = initialForm();

/** The method's parameters from the form, only those the method uses. */
export const toMethodParams = paramsFromForm;
