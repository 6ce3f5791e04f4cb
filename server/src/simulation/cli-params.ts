/**
 * Method parameters and simulation designs from command-line text: the flags of `list` and
 * `simulate` (`--p 0.7 --block-sizes 2,4,6 --ratio 2:1`) and the `method:k=v,…` specs of
 * `simulate --compare`. Kept here (not in the CLI files) so the server can accept the same specs.
 */
import { EngineError } from '../../../shared/engine/index.js';
import type { ArmWeight, SimulationDesign, SimulationFactor } from '../../../shared/engine/index.js';

/** Parameter flags as commander gives them (strings), keyed by flag name in camelCase. */
export interface ParamFlags {
  p?: string;
  bound?: string;
  blockSizes?: string;
  alpha?: string;
  beta?: string;
  imbalance?: string;
  length?: string;
  weights?: string;
}

function number(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new EngineError(`--${name}: expected a number, got "${text}"`);
  return v;
}

function numberList(name: string, text: string, separator = /[,/|]/): number[] {
  return text.split(separator).map((t) => number(name, t));
}

/** Engine parameters from flags; only flags that were given appear. */
export function paramsFromFlags(flags: ParamFlags): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (flags.p !== undefined) params.p = number('p', flags.p);
  if (flags.bound !== undefined) params.bound = number('bound', flags.bound);
  if (flags.blockSizes !== undefined) params.blockSizes = numberList('block-sizes', flags.blockSizes);
  if (flags.alpha !== undefined) params.alpha = number('alpha', flags.alpha);
  if (flags.beta !== undefined) params.beta = number('beta', flags.beta);
  if (flags.length !== undefined) params.length = number('length', flags.length);
  if (flags.imbalance !== undefined) params.imbalance = flags.imbalance;
  if (flags.weights !== undefined) {
    params.weights = Object.fromEntries(
      flags.weights.split(',').map((pair) => {
        const [k, v] = pair.split('=');
        if (!k || v === undefined) throw new EngineError(`--weights: expected factor=weight pairs, got "${pair}"`);
        return [k.trim(), number('weights', v)];
      }),
    );
  }
  return params;
}

/** `2:1` → arms A (2) and B (1); `--arms 3` → A, B, C at 1:1:1. */
export function armsFromFlags(ratio: string | undefined, arms: string | undefined): ArmWeight[] {
  const weights = ratio !== undefined ? numberList('ratio', ratio, /:/) : Array.from({ length: arms !== undefined ? number('arms', arms) : 2 }, () => 1);
  if (arms !== undefined && ratio !== undefined && weights.length !== number('arms', arms)) throw new EngineError(`--ratio ${ratio} gives ${weights.length} arms but --arms says ${arms}`);
  if (weights.length < 2 || weights.length > 26) throw new EngineError(`expected 2 to 26 arms, got ${weights.length}`);
  return weights.map((w, i) => ({ code: String.fromCharCode(65 + i), ratio: w }));
}

/** `2,2,3` → three simulated covariates with 2, 2 and 3 equally likely levels (f1, f2, f3). */
export function factorsFromFlag(text: string | undefined): SimulationFactor[] | undefined {
  if (text === undefined) return undefined;
  return numberList('factors', text, /,/).map((count, f) => {
    if (!Number.isInteger(count) || count < 1) throw new EngineError(`--factors: level counts must be whole numbers ≥ 1, got ${count}`);
    return { id: `f${f + 1}`, levels: Array.from({ length: count }, (_, l) => ({ code: `L${l + 1}` })) };
  });
}

const KEY_ALIASES: Record<string, keyof ParamFlags | 'ratio' | 'arms' | 'factors'> = {
  p: 'p',
  bound: 'bound',
  b: 'bound',
  'block-sizes': 'blockSizes',
  blocksizes: 'blockSizes',
  alpha: 'alpha',
  beta: 'beta',
  imbalance: 'imbalance',
  length: 'length',
  weights: 'weights',
  ratio: 'ratio',
  arms: 'arms',
  factors: 'factors',
};

/**
 * A design from a compare spec: `permuted-block:block-sizes=2,4,6`, `biased-coin:p=0.7`,
 * `minimization:p=0.8,factors=2,2,3,ratio=2:1`. A token without "=" continues the previous value.
 */
export function designFromSpec(spec: string, defaults: { ratio?: string; arms?: string; factors?: string } = {}): SimulationDesign & { label: string } {
  const colon = spec.indexOf(':');
  const method = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const values: Record<string, string> = {};
  let current: string | null = null;
  for (const token of colon < 0 ? [] : spec.slice(colon + 1).split(',')) {
    const eq = token.indexOf('=');
    if (eq >= 0) {
      const key = KEY_ALIASES[token.slice(0, eq).trim().toLowerCase()];
      if (!key) throw new EngineError(`design "${spec}": unknown parameter "${token.slice(0, eq)}"; expected one of ${Object.keys(KEY_ALIASES).join(', ')}`);
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
