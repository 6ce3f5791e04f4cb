/** Candidate designs the statistician can compare, and how a method's parameters are described. */
import type { CandidateDesign } from '../../workers/protocol.js';
import { t } from '../../i18n/index.js';

const METHODS = ['simple', 'permuted-block', 'truncated-binomial', 'biased-coin', 'big-stick', 'chen', 'maximal', 'urn', 'minimization'];
/** Method names in the reader's language (statistician.method.*): getters, so a template re-renders on a language switch. */
export const METHOD_LABELS: Record<string, string> = Object.defineProperties({} as Record<string, string>,
  Object.fromEntries(METHODS.map((m) => [m, { get: () => t(`statistician.method.${m}`), enumerable: true }])));

export function describe(method: string, params: Record<string, unknown>): string {
  switch (method) {
    case 'permuted-block': case 'truncated-binomial': return `${METHOD_LABELS[method]} (${((params.blockSizes as number[]) ?? []).join(', ')})`;
    case 'biased-coin': return t('statistician.describe.biasedCoin', { p: Number(params.p).toFixed(2) });
    case 'big-stick': return t('statistician.describe.bigStick', { b: String(params.bound) });
    case 'chen': return t('statistician.describe.chen', { p: Number(params.p).toFixed(2), b: String(params.bound) });
    case 'maximal': return t('statistician.describe.maximal', { b: String(params.bound) });
    case 'urn': return t('statistician.describe.urn', { alpha: String(params.alpha), beta: String(params.beta) });
    case 'minimization': return t('statistician.describe.minimization', { p: Number(params.p).toFixed(2), measure: t(`statistician.measure.${String(params.imbalance ?? 'range')}`) });
    default: return METHOD_LABELS[method] ?? method;
  }
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
].map((d, i) => ({ ...d, key: `c${i}`, get label() { return describe(d.method, d.params); } }));

export const PALETTE = ['#1f5f8b', '#c0392b', '#2e8b57', '#8e44ad', '#d68910', '#17a2b8', '#6c757d', '#b03a8a', '#4e6e1a', '#a0522d'];

export interface ParamForm { blockSizes: string; p: number; bound: number; alpha: number; beta: number; imbalance: 'range' | 'variance' }

export const DEFAULT_PARAMS: ParamForm = { blockSizes: '2, 4', p: 0.67, bound: 3, alpha: 0, beta: 1, imbalance: 'range' };

/** The method's parameters from the form, only those the method uses. */
export function toMethodParams(method: string, f: ParamForm): Record<string, unknown> {
  switch (method) {
    case 'permuted-block': case 'truncated-binomial': return { blockSizes: f.blockSizes.split(',').map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n > 0) };
    case 'biased-coin': return { p: f.p };
    case 'big-stick': case 'maximal': return { bound: f.bound };
    case 'chen': return { p: f.p, bound: f.bound };
    case 'urn': return { alpha: f.alpha, beta: f.beta };
    case 'minimization': return { p: f.p, imbalance: f.imbalance };
    default: return {};
  }
}
