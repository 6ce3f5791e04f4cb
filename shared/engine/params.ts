/**
 * Method parameters: defaults filled in and checked, so that a scheme records every value that
 * shaped its list (the fingerprint covers them) and a bad value fails before any draw.
 */
import { EngineError } from './errors.js';
import { METHOD_CODES, type MethodCode } from '../protocol/method-codes.js';

export interface ArmWeight {
  code: string;
  ratio: number;
}

/** Normalized parameters; only the fields of the chosen method are present. */
export interface MethodParams {
  /** permuted-block, truncated-binomial: allowed block sizes; more than one → drawn uniformly per block. */
  blockSizes?: number[];
  /** biased-coin, chen: probability toward the arm behind; minimization: probability of the minimizing arm(s). */
  p?: number;
  /** big-stick, chen, maximal: the imbalance bound b. */
  bound?: number;
  /** maximal: length N of each maximal-procedure sequence (defaults to the list length or n). */
  length?: number;
  /** urn UD(α, β). */
  alpha?: number;
  beta?: number;
  /** minimization: imbalance measure. */
  imbalance?: 'range' | 'variance';
  /** minimization: factor ids in order (defaults to the protocol's factors, plus site when stratified by site). */
  factors?: string[];
  /** minimization: weight per factor id (default 1). */
  weights?: Record<string, number>;
}

export function isMethodCode(value: string): value is MethodCode {
  return (METHOD_CODES as readonly string[]).includes(value);
}

function num(raw: Record<string, unknown>, key: string, fallback: number, check: (v: number) => boolean, expected: string): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) throw new EngineError(`parameter ${key}: expected ${expected}, got ${JSON.stringify(raw[key])}`);
  return v;
}

const probability = (v: number) => v >= 0.5 && v <= 1;
const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

/**
 * Fill defaults and check the parameters of `method` for the given arms.
 * @throws EngineError naming the parameter and what was expected
 */
export function normalizeParams(method: string, raw: Record<string, unknown>, arms: ArmWeight[]): MethodParams {
  if (!isMethodCode(method)) throw new EngineError(`unknown method "${method}"; expected one of: ${METHOD_CODES.join(', ')}`);
  if (arms.length < 2) throw new EngineError('at least two arms are needed');
  for (const a of arms) if (!positiveInt(a.ratio)) throw new EngineError(`arm ${a.code}: ratio must be a whole number ≥ 1, got ${a.ratio}`);
  const ratioSum = arms.reduce((s, a) => s + a.ratio, 0);
  const equalRatios = arms.every((a) => a.ratio === arms[0].ratio);
  switch (method) {
    case 'simple':
    case 'import':
      return {};
    case 'permuted-block':
    case 'truncated-binomial': {
      const sizes = raw.blockSizes ?? [2 * ratioSum];
      if (!Array.isArray(sizes) || sizes.length === 0) throw new EngineError(`parameter blockSizes: expected a list of block sizes, got ${JSON.stringify(sizes)}`);
      for (const s of sizes) {
        if (typeof s !== 'number' || !positiveInt(s) || s % ratioSum !== 0) {
          throw new EngineError(`parameter blockSizes: ${JSON.stringify(s)} is not a multiple of the ratio sum ${ratioSum} (${arms.map((a) => a.ratio).join(':')})`);
        }
      }
      return { blockSizes: [...new Set(sizes as number[])].sort((a, b) => a - b) };
    }
    case 'biased-coin':
      return { p: num(raw, 'p', 2 / 3, probability, 'a probability between 0.5 and 1') };
    case 'big-stick':
      return { bound: num(raw, 'bound', 3, positiveInt, 'a whole number ≥ 1') };
    case 'chen':
      return { p: num(raw, 'p', 2 / 3, probability, 'a probability between 0.5 and 1'), bound: num(raw, 'bound', 3, positiveInt, 'a whole number ≥ 1') };
    case 'maximal': {
      if (arms.length !== 2 || !equalRatios) throw new EngineError('the maximal procedure is defined for two arms with a 1:1 ratio');
      const params: MethodParams = { bound: num(raw, 'bound', 3, positiveInt, 'a whole number ≥ 1') };
      if (raw.length !== undefined) params.length = num(raw, 'length', 0, (v) => positiveInt(v) && v % 2 === 0, 'an even whole number');
      return params;
    }
    case 'urn': {
      if (!equalRatios) throw new EngineError("Wei's urn design is defined here for equal ratios only");
      const alpha = num(raw, 'alpha', 0, (v) => v >= 0, 'a number ≥ 0');
      const beta = num(raw, 'beta', 1, (v) => v >= 0, 'a number ≥ 0');
      if (alpha === 0 && beta === 0) throw new EngineError('parameters alpha and beta cannot both be 0');
      return { alpha, beta };
    }
    case 'minimization': {
      const imbalance = raw.imbalance ?? 'range';
      if (imbalance !== 'range' && imbalance !== 'variance') throw new EngineError(`parameter imbalance: expected "range" or "variance", got ${JSON.stringify(imbalance)}`);
      const params: MethodParams = { p: num(raw, 'p', 0.8, probability, 'a probability between 0.5 and 1'), imbalance };
      if (raw.factors !== undefined) {
        if (!Array.isArray(raw.factors) || raw.factors.some((f) => typeof f !== 'string')) throw new EngineError('parameter factors: expected a list of factor ids');
        params.factors = raw.factors as string[];
      }
      const weights = raw.weights ?? {};
      if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) throw new EngineError('parameter weights: expected a mapping factor → weight');
      for (const [k, w] of Object.entries(weights)) if (typeof w !== 'number' || !(w >= 0)) throw new EngineError(`parameter weights.${k}: expected a number ≥ 0`);
      params.weights = { ...(weights as Record<string, number>) };
      return params;
    }
  }
}
