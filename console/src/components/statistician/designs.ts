/** Candidate designs the statistician can compare, and how a method's parameters are described. */
import type { CandidateDesign } from '../../workers/protocol.js';

export const METHOD_LABELS: Record<string, string> = {
  simple: 'Simple (complete) randomization',
  'permuted-block': 'Permuted blocks',
  'truncated-binomial': 'Truncated binomial',
  'biased-coin': "Efron's biased coin",
  'big-stick': 'Big stick',
  chen: "Chen's biased coin with imbalance tolerance",
  maximal: 'Maximal procedure',
  urn: "Wei's urn",
  minimization: 'Minimization (Pocock–Simon)',
};

export function describe(method: string, params: Record<string, unknown>): string {
  switch (method) {
    case 'permuted-block': case 'truncated-binomial': return `${METHOD_LABELS[method]} (${((params.blockSizes as number[]) ?? []).join(', ')})`;
    case 'biased-coin': return `Biased coin p=${Number(params.p).toFixed(2)}`;
    case 'big-stick': return `Big stick b=${params.bound}`;
    case 'chen': return `Chen p=${Number(params.p).toFixed(2)}, b=${params.bound}`;
    case 'maximal': return `Maximal procedure b=${params.bound}`;
    case 'urn': return `Urn UD(${params.alpha}, ${params.beta})`;
    case 'minimization': return `Minimization p=${Number(params.p).toFixed(2)} (${params.imbalance ?? 'range'})`;
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
].map((d, i) => ({ ...d, key: `c${i}`, label: describe(d.method, d.params) }));

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
