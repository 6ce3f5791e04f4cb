/**
 * The registry of allocation methods: one descriptor per method (one file each, beside this one).
 * Everything that depends on a method's name — parameter checking, the sequential rule, live
 * capability, the simulation kernel, the exact model, the console's design form and the CLI
 * flags — looks its descriptor up here instead of switching on the name.
 *
 * Adding a method: write its descriptor file, add its code to METHOD_CODES (protocol vocabulary,
 * shared/protocol/method-codes.ts) and its entry below (the compiler refuses one without the
 * other), its label keys to the i18n catalogue, and its tests; test/unit/methods.test.ts checks the
 * descriptor is complete.
 */
import { METHOD_CODES, type MethodCode } from '../../protocol/method-codes.js';
import { EngineError } from '../errors.js';
import { biasedCoin } from './biased-coin.js';
import { bigStick } from './big-stick.js';
import { chen } from './chen.js';
import { generalizedBiasedCoin } from './generalized-biased-coin.js';
import { importedList } from './import.js';
import { maximal } from './maximal.js';
import { minimization } from './minimization.js';
import { permutedBlock } from './permuted-block.js';
import { simple } from './simple.js';
import { truncatedBinomial } from './truncated-binomial.js';
import type { MethodDescriptor, ParamSpec } from './types.js';
import { urn } from './urn.js';

export type { MethodDescriptor, MethodParams, ParamSpec } from './types.js';

/** Every method by code. Keyed by MethodCode, so a code without a descriptor (or the reverse) does not compile. */
export const METHODS: { readonly [C in MethodCode]: MethodDescriptor } = {
  simple,
  'permuted-block': permutedBlock,
  'truncated-binomial': truncatedBinomial,
  'biased-coin': biasedCoin,
  'big-stick': bigStick,
  chen,
  maximal,
  urn,
  'generalized-biased-coin': generalizedBiasedCoin,
  minimization,
  import: importedList,
};

/** The descriptors in METHOD_CODES order (the order of menus, help texts and error messages). */
const METHOD_LIST: readonly MethodDescriptor[] = METHOD_CODES.map((c) => METHODS[c]);

/** The descriptor of `code`, or undefined for an unknown code. */
export function findMethod(code: string): MethodDescriptor | undefined {
  return Object.prototype.hasOwnProperty.call(METHODS, code) ? METHODS[code as MethodCode] : undefined;
}

/** The descriptor of `code`; an unknown code is an EngineError listing the known ones. */
export function methodDescriptor(code: string): MethodDescriptor {
  const method = findMethod(code);
  if (!method) throw new EngineError(`unknown method "${code}"; expected one of: ${METHOD_CODES.join(', ')}`);
  return method;
}

/** Methods whose lists are generated (every one but an imported list): the console's menus, `simulate`. */
export const GENERATED_METHODS: readonly MethodDescriptor[] = METHOD_LIST.filter((m) => m.generated);

/** Methods that can decide at randomization time (from the history) instead of from a list. */
export const LIVE_CAPABLE_METHODS: readonly string[] = METHOD_LIST.filter((m) => m.live !== 'never').map((m) => m.code);

/**
 * One spec per parameter key across all methods (the first declaring it), with the methods that
 * use it: the CLI flags and the console form fields, which are shared between methods by key.
 */
export function sharedParams(filter: (spec: ParamSpec) => boolean): Array<{ spec: ParamSpec; methods: string[] }> {
  const byKey = new Map<string, { spec: ParamSpec; methods: string[] }>();
  for (const m of METHOD_LIST) {
    for (const spec of m.params) {
      if (!filter(spec)) continue;
      const entry = byKey.get(spec.key) ?? { spec, methods: [] };
      entry.methods.push(m.code);
      byKey.set(spec.key, entry);
    }
  }
  return [...byKey.values()];
}
