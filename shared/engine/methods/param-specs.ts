/**
 * Parameter specs shared by several methods, and the generic reading of a parameter from JSON:
 * a missing value takes the default, a bad one fails with an EngineError naming the parameter
 * and what was expected (so a scheme records every value that shaped its list).
 */
import { EngineError } from '../errors.js';
import type { ArmWeight, MethodDescriptor, MethodParams, ParamSpec } from './types.js';

export const coinP = (fallback: number): ParamSpec => ({
  key: 'p',
  kind: 'probability',
  default: fallback,
  min: 0.5,
  max: 1,
  label: 'statistician.probability',
  cli: { placeholder: '<p>', help: 'probability toward balance' },
  form: { initial: 0.67, step: 0.01 },
});

export const BOUND: ParamSpec = {
  key: 'bound',
  kind: 'integer',
  default: 3,
  min: 1,
  label: 'statistician.bound',
  cli: { placeholder: '<b>', help: 'imbalance bound', aliases: ['b'] },
  form: { initial: 3, step: 1 },
};

export const BLOCK_SIZES: ParamSpec = {
  key: 'blockSizes',
  kind: 'sizes',
  default: (arms) => [2 * arms.reduce((s, a) => s + a.ratio, 0)],
  label: 'statistician.blockSizes',
  cli: { placeholder: '<sizes>', help: 'block sizes, e.g. 2,4,6 (several → drawn per block)' },
  form: { initial: '2, 4' },
};

/** What a number parameter must be, in words (the error says "expected …"). */
function expectedText(spec: ParamSpec): string {
  if (spec.kind === 'probability') return `a probability between ${spec.min ?? 0} and ${spec.max ?? 1}`;
  if (spec.kind === 'integer' && spec.even) return 'an even whole number';
  const noun = spec.kind === 'integer' ? 'a whole number' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${noun} between ${spec.min} and ${spec.max}`;
  if (spec.min !== undefined) return `${noun} ≥ ${spec.min}`;
  if (spec.max !== undefined) return `${noun} ≤ ${spec.max}`;
  return noun;
}

/** Whether `v` is an acceptable value of a number spec. */
function inRange(spec: ParamSpec, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if ((spec.kind === 'integer' || spec.even) && !Number.isInteger(v)) return false;
  if (spec.even && v % 2 !== 0) return false;
  if (spec.min !== undefined && v < spec.min) return false;
  return spec.max === undefined || v <= spec.max;
}

/** The default of a spec for these arms (undefined when it has none). */
function defaultOf(spec: ParamSpec, arms: ArmWeight[]): unknown {
  return typeof spec.default === 'function' ? spec.default(arms) : spec.default;
}

function readOne(spec: ParamSpec, raw: Record<string, unknown>, arms: ArmWeight[]): unknown {
  const { key } = spec;
  const given = raw[key];
  const v = given ?? defaultOf(spec, arms);
  switch (spec.kind) {
    case 'number':
    case 'integer':
    case 'probability':
      if (typeof v !== 'number' || !inRange(spec, v))
        throw new EngineError(`parameter ${key}: expected ${expectedText(spec)}, got ${JSON.stringify(given)}`);
      return v;
    case 'sizes': {
      if (!Array.isArray(v) || v.length === 0)
        throw new EngineError(`parameter ${key}: expected a list of block sizes, got ${JSON.stringify(v)}`);
      const ratioSum = arms.reduce((s, a) => s + a.ratio, 0);
      for (const s of v) {
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s % ratioSum !== 0) {
          throw new EngineError(
            `parameter ${key}: ${JSON.stringify(s)} is not a multiple of the ratio sum ${ratioSum} (${arms.map((a) => a.ratio).join(':')})`,
          );
        }
      }
      return [...new Set(v as number[])].sort((a, b) => a - b);
    }
    case 'choice': {
      const choices = spec.choices ?? [];
      if (typeof v !== 'string' || !choices.includes(v))
        throw new EngineError(
          `parameter ${key}: expected ${choices.map((c) => JSON.stringify(c)).join(' or ')}, got ${JSON.stringify(v)}`,
        );
      return v;
    }
    case 'names':
      if (!Array.isArray(v) || v.some((f) => typeof f !== 'string'))
        throw new EngineError(`parameter ${key}: expected a list of factor ids`);
      return v;
    case 'weights': {
      const w = v ?? {};
      if (typeof w !== 'object' || w === null || Array.isArray(w))
        throw new EngineError(`parameter ${key}: expected a mapping factor → weight`);
      for (const [k, x] of Object.entries(w))
        if (typeof x !== 'number' || !(x >= 0)) throw new EngineError(`parameter ${key}.${k}: expected a number ≥ 0`);
      return { ...(w as Record<string, number>) };
    }
  }
}

/** Read every parameter of the method in spec order: defaults filled, values checked. */
export function readParams(method: MethodDescriptor, raw: Record<string, unknown>, arms: ArmWeight[]): MethodParams {
  const params: MethodParams = {};
  for (const spec of method.params) {
    if (spec.optional && raw[spec.key] === undefined) continue;
    params[spec.key] = readOne(spec, raw, arms);
  }
  return params;
}

/** Ratios all equal (the urn designs are defined here for equal ratios only). */
export const equalRatios = (arms: ArmWeight[]) => arms.every((a) => a.ratio === arms[0].ratio);
