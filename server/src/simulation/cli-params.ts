/**
 * Method parameters and simulation designs from command-line text: the flags of `list` and
 * `simulate` (`--p 0.7 --block-sizes 2,4,6 --ratio 2:1`) and the `method:k=v,…` specs of
 * `simulate --compare`, generated from the method descriptors (shared/engine/methods/). Kept here (not in the CLI files) so the server can accept the same specs.
 */
import type { Command } from 'commander';
import { EngineError } from '../../../shared/engine/index.js';
import type { ArmWeight, SimulationDesign, SimulationFactor } from '../../../shared/engine/index.js';
import { sharedParams, type ParamSpec } from '../../../shared/engine/methods/index.js';

/** Parameter flags as commander gives them (strings), keyed by the parameter's key (camelCase). */
export type ParamFlags = Record<string, unknown>;

function number(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new EngineError(`--${name}: expected a number, got "${text}"`);
  return v;
}

function numberList(name: string, text: string, separator = /[,/|]/): number[] {
  return text.split(separator).map((t) => number(name, t));
}

/** `blockSizes` → `block-sizes`: the flag of a parameter key. */
export const flagName = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The parameters that have a CLI flag (one per key across methods), with the methods using each. */
const PARAM_FLAGS = sharedParams((spec) => spec.cli !== undefined);

/** A parameter's value from its flag's text, read by the kind of the parameter. */
function fromText(spec: ParamSpec, text: string): unknown {
  const name = flagName(spec.key);
  switch (spec.kind) {
    case 'sizes':
      return numberList(name, text);
    case 'choice':
      return text;
    case 'weights':
      return Object.fromEntries(
        text.split(',').map((pair) => {
          const [k, v] = pair.split('=');
          if (!k || v === undefined) throw new EngineError(`--${name}: expected factor=weight pairs, got "${pair}"`);
          return [k.trim(), number(name, v)];
        }),
      );
    default:
      return number(name, text);
  }
}

/** Add the parameter flags of every method to a command (help: the methods using the flag, then what it is). */
export function addParamOptions(cmd: Command): Command {
  for (const { spec, methods } of PARAM_FLAGS)
    cmd.option(`--${flagName(spec.key)} ${spec.cli!.placeholder}`, `${methods.join(' / ')}: ${spec.cli!.help}`);
  return cmd;
}

/** Engine parameters from flags; only flags that were given appear. */
export function paramsFromFlags(flags: ParamFlags): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const { spec } of PARAM_FLAGS) {
    const text = flags[spec.key];
    if (typeof text === 'string') params[spec.key] = fromText(spec, text);
  }
  return params;
}

/** `2:1` → arms A (2) and B (1); `--arms 3` → A, B, C at 1:1:1. */
export function armsFromFlags(ratio: string | undefined, arms: string | undefined): ArmWeight[] {
  const weights =
    ratio !== undefined
      ? numberList('ratio', ratio, /:/)
      : Array.from({ length: arms !== undefined ? number('arms', arms) : 2 }, () => 1);
  if (arms !== undefined && ratio !== undefined && weights.length !== number('arms', arms))
    throw new EngineError(`--ratio ${ratio} gives ${weights.length} arms but --arms says ${arms}`);
  if (weights.length < 2 || weights.length > 26) throw new EngineError(`expected 2 to 26 arms, got ${weights.length}`);
  return weights.map((w, i) => ({ code: String.fromCharCode(65 + i), ratio: w }));
}

/** `2,2,3` → three simulated covariates with 2, 2 and 3 equally likely levels (f1, f2, f3). */
export function factorsFromFlag(text: string | undefined): SimulationFactor[] | undefined {
  if (text === undefined) return undefined;
  return numberList('factors', text, /,/).map((count, f) => {
    if (!Number.isInteger(count) || count < 1)
      throw new EngineError(`--factors: level counts must be whole numbers ≥ 1, got ${count}`);
    return { id: `f${f + 1}`, levels: Array.from({ length: count }, (_, l) => ({ code: `L${l + 1}` })) };
  });
}

/** Keys of a compare spec: each parameter's key, flag name and aliases (lower case), then ratio, arms, factors. */
const KEY_ALIASES: Record<string, string> = Object.fromEntries([
  ...PARAM_FLAGS.flatMap(({ spec }) =>
    [spec.key.toLowerCase(), flagName(spec.key), ...(spec.cli!.aliases ?? [])].map((alias) => [alias, spec.key]),
  ),
  ...['ratio', 'arms', 'factors'].map((k) => [k, k]),
]);

/**
 * A design from a compare spec: `permuted-block:block-sizes=2,4,6`, `biased-coin:p=0.7`,
 * `minimization:p=0.8,factors=2,2,3,ratio=2:1`. A token without "=" continues the previous value.
 */
export function designFromSpec(
  spec: string,
  defaults: { ratio?: string; arms?: string; factors?: string } = {},
): SimulationDesign & { label: string } {
  const colon = spec.indexOf(':');
  const method = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const values: Record<string, string> = {};
  let current: string | null = null;
  for (const token of colon < 0 ? [] : spec.slice(colon + 1).split(',')) {
    const eq = token.indexOf('=');
    if (eq >= 0) {
      const key = KEY_ALIASES[token.slice(0, eq).trim().toLowerCase()];
      if (!key)
        throw new EngineError(
          `design "${spec}": unknown parameter "${token.slice(0, eq)}"; expected one of ${Object.keys(KEY_ALIASES).join(', ')}`,
        );
      current = key;
      values[key] = token.slice(eq + 1).trim();
    } else if (current !== null && token.trim() !== '') values[current] += `,${token.trim()}`;
    else if (token.trim() !== '') throw new EngineError(`design "${spec}": expected key=value, got "${token}"`);
  }
  return {
    label: spec,
    method,
    params: paramsFromFlags(values),
    arms: armsFromFlags(values.ratio ?? defaults.ratio, values.arms ?? defaults.arms),
    factors: factorsFromFlag(values.factors ?? defaults.factors),
  };
}
