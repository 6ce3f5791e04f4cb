/**
 * Method parameters: defaults filled in and checked, so that a scheme records every value that
 * shaped its list (the fingerprint covers them) and a bad value fails before any draw. Which
 * parameters a method has, their defaults and ranges are in its descriptor (methods/<method>.ts).
 */
import { EngineError } from './errors.js';
import { METHOD_CODES, type MethodCode } from '../protocol/method-codes.js';
import { methodDescriptor } from './methods/index.js';
import { readParams } from './methods/param-specs.js';
import type { ArmWeight, MethodParams } from './methods/types.js';

export type { ArmWeight, MethodParams } from './methods/types.js';

export function isMethodCode(value: string): value is MethodCode {
  return (METHOD_CODES as readonly string[]).includes(value);
}

/**
 * Fill defaults and check the parameters of `method` for the given arms.
 * @throws EngineError naming the parameter and what was expected
 */
export function normalizeParams(method: string, raw: Record<string, unknown>, arms: ArmWeight[]): MethodParams {
  const descriptor = methodDescriptor(method);
  if (arms.length < 2) throw new EngineError('at least two arms are needed');
  for (const a of arms)
    if (!(Number.isInteger(a.ratio) && a.ratio >= 1))
      throw new EngineError(`arm ${a.code}: ratio must be a whole number ≥ 1, got ${a.ratio}`);
  descriptor.checkArms?.(arms);
  const params = readParams(descriptor, raw, arms);
  descriptor.checkParams?.(params);
  return params;
}
