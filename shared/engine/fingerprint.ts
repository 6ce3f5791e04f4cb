/**
 * The scheme fingerprint: SHA-256 over the canonical JSON of everything that fixes the
 * allocations — method, parameters, generator and library version, arms, strata and full lists,
 * and the seed commitment — and, for every scheme made since salting, the scheme's secret salt.
 * Published at activation to every role. The salt makes it a commitment: without it, someone who
 * knows (or guesses) the seed, or most of the list, could test guesses of the arms against it.
 * The salt and the seed are released at end-of-study unblinding; then anyone can recompute it.
 */
import { canonicalJson } from '../canonical-json.js';
import { sha256Hex } from './streams.js';
import type { Scheme } from './types.js';

/** The exact value that is hashed (exported so auditors can reproduce the bytes). `salt` absent = legacy unsalted form. */
export function fingerprintPayload(scheme: Scheme): unknown {
  return {
    studyCode: scheme.studyCode,
    method: scheme.method,
    params: scheme.params,
    algorithm: scheme.algorithm,
    libraryVersion: scheme.libraryVersion,
    seedCommitment: scheme.seedCommitment,
    salt: scheme.salt,
    arms: scheme.arms.map((a) => ({ code: a.code, ratio: a.ratio })),
    live: scheme.live,
    treatmentCodeFormat: scheme.treatmentCodeFormat,
    strata: scheme.strata.map((s) => ({
      key: s.key,
      levels: s.levels,
      entries: s.entries.map((e) => ({ position: e.position, armCode: e.armCode, treatmentCode: e.treatmentCode })),
    })),
  };
}

/** SHA-256 hex of the canonical scheme. */
export function schemeFingerprint(scheme: Scheme): string {
  return sha256Hex(canonicalJson(fingerprintPayload(scheme)));
}
