/**
 * Generating an allocation scheme from a protocol, a method and a master seed: one list per
 * stratum, each drawn from streams derived for that stratum alone (arms, block sizes and
 * treatment codes each from their own stream).
 */
import { allStrata, stratumFactorIds } from '../protocol/strata.js';
import type { Protocol } from '../protocol/types.js';
import { EngineError } from './errors.js';
import { LIVE_CAPABLE_METHODS, findMethod, methodDescriptor } from './methods/index.js';
import { normalizeParams, type ArmWeight, type MethodParams } from './params.js';
import { commitAllocation, createSequenceRule, newSequenceState, pickArm } from './sequence-rules.js';
import { ALGORITHM, LIBRARY_VERSION, SECRET_HEX, deriveStream, seedCommitment, type RandomStream } from './streams.js';
import { drawUniqueTreatmentCode } from './treatment-codes.js';
import type { GenerateOptions, Scheme, SchemeStratum } from './types.js';

export { LIVE_CAPABLE_METHODS } from './methods/index.js';

/** Methods that must run live: minimization depends on the covariates of patients yet to come. */
export function isDynamicMethod(method: string): boolean {
  return findMethod(method)?.live === 'always';
}

/** Whether allocations of this scheme come from allocateDynamic (rather than the next list entry). */
export function isDynamicScheme(scheme: Pick<Scheme, 'live' | 'method'>): boolean {
  return scheme.live || isDynamicMethod(scheme.method);
}

/** Arm codes and integer ratios of the protocol. */
export function protocolArms(protocol: Protocol): ArmWeight[] {
  return protocol.arms.map((a) => ({ code: a.code, ratio: a.ratio }));
}

/** The arm index sequence of one stratum's list. Block methods finish their last block. */
export function generateArmSequence(
  method: Scheme['method'],
  params: MethodParams,
  ratios: number[],
  length: number,
  listStream: RandomStream,
  blockStream: RandomStream,
): number[] {
  const rule = createSequenceRule(method, params, ratios, length);
  const state = newSequenceState(ratios.length);
  const probs = new Float64Array(ratios.length);
  const arms: number[] = [];
  while (state.total < length || (rule.usesBlocks && state.blockLeft > 0)) {
    rule.beginBlockIfNeeded(state, () => blockStream.double());
    rule.probabilities(state, probs);
    const arm = pickArm(probs, listStream.double());
    commitAllocation(state, arm, rule.usesBlocks);
    arms.push(arm);
  }
  return arms;
}

/**
 * Generate the scheme: for list methods, one list per stratum; for live schemes, the strata
 * with empty lists (decisions come from allocateDynamic).
 * @throws EngineError for an unknown method, bad parameters or a method that cannot run live
 */
export function generateScheme(protocol: Protocol, options: GenerateOptions): Scheme {
  if (typeof options.seed !== 'string' || options.seed.length < 8)
    throw new EngineError('the master seed must be a string of at least 8 characters');
  if (options.salt !== undefined && !SECRET_HEX.test(options.salt))
    throw new EngineError('the salt must be 256 bits written as 64 lower-case hex digits');
  if (findMethod(options.method)?.generated === false)
    throw new EngineError('an imported list is not generated; use importList');
  const arms = protocolArms(protocol);
  let params = normalizeParams(options.method, options.params ?? {}, arms);
  const method = options.method as Scheme['method'];
  const descriptor = methodDescriptor(method);
  if (descriptor.completeForProtocol)
    params = descriptor.completeForProtocol(params, { factorIds: stratumFactorIds(protocol) });
  const live = descriptor.live === 'always' || options.live === true;
  if (live && descriptor.live === 'never') {
    throw new EngineError(
      `method "${method}" cannot run live; it is generated as a list (live methods: ${LIVE_CAPABLE_METHODS.join(', ')})`,
    );
  }
  const length = options.listLength ?? protocol.listLengthPerStratum;
  if (!Number.isInteger(length) || length < 1)
    throw new EngineError(`list length must be a whole number ≥ 1, got ${length}`);
  const studyCode = protocol.study.code;
  const strata: SchemeStratum[] = allStrata(protocol, options.siteCodes).map((s) => ({
    key: s.key,
    levels: s.levels,
    entries: [],
  }));
  if (!live) {
    const ratios = arms.map((a) => a.ratio);
    const used = new Set<string>();
    // Codes are drawn stratum by stratum in key order so a rare collision is resolved the same way every time.
    for (const stratum of [...strata].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      const sequence = generateArmSequence(
        method,
        params,
        ratios,
        length,
        deriveStream(options.seed, studyCode, stratum.key, 'list'),
        deriveStream(options.seed, studyCode, stratum.key, 'block-sizes'),
      );
      const codes = deriveStream(options.seed, studyCode, stratum.key, 'treatment-codes');
      stratum.entries = sequence.map((arm, i) => ({
        position: i + 1,
        armCode: arms[arm].code,
        treatmentCode: drawUniqueTreatmentCode(codes, protocol.treatmentCode, used),
      }));
    }
  }
  return {
    studyCode,
    method,
    params,
    algorithm: ALGORITHM,
    libraryVersion: LIBRARY_VERSION,
    seedCommitment: seedCommitment(options.seed, studyCode, options.salt),
    seed: options.seed,
    salt: options.salt,
    arms,
    live,
    treatmentCodeFormat: { ...protocol.treatmentCode },
    strata,
  };
}
