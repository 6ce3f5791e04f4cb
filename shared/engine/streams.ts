/**
 * Seeded random streams. One stream per (master seed, study, stratum, purpose), derived with
 * SHA-256 over a canonical string, so that a stratum's list never depends on other strata or on
 * the order patients enrol, and so that block sizes or treatment codes never shift the draws
 * that choose arms.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import seedrandom from 'seedrandom';
import { canonicalJson } from '../canonical-json.js';

/** The generator and the exact library release every scheme names (seedrandom 3.0.5 is pinned). */
export const ALGORITHM = 'seedrandom-3.0.5/xor4096' as const;
export const LIBRARY_VERSION = '3.0.5' as const;

/** A stream of uniform doubles in [0, 1) with 53 bits each. */
export interface RandomStream {
  double(): number;
}

/** What a stream is used for; each purpose gets its own independent stream. */
export type StreamPurpose = 'list' | 'block-sizes' | 'treatment-codes' | 'allocation' | 'simulation' | (string & {});

/** SHA-256 of a UTF-8 string, as lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * The stream for one stratum and purpose. The seed handed to xor4096 is the hex SHA-256 of
 * canonical `{masterSeed, studyCode, stratumKey, purpose}` — always a string (a number seed
 * would be read differently by seedrandom), never empty (an empty seed would mean the clock).
 */
export function deriveStream(masterSeed: string, studyCode: string, stratumKey: string, purpose: StreamPurpose): RandomStream {
  if (typeof masterSeed !== 'string' || masterSeed.length === 0) throw new TypeError('deriveStream: the master seed must be a non-empty string');
  const hex = sha256Hex(canonicalJson({ masterSeed, studyCode, stratumKey, purpose }));
  // The PRNG itself is returned (it has .double()): a wrapper would cost a call per draw in simulations.
  return seedrandom.xor4096(hex);
}

/**
 * A public commitment to the master seed: published with the fingerprint so that, once the
 * seed is disclosed, anyone can check it is the one that was fixed before enrolment.
 */
export function seedCommitment(masterSeed: string, studyCode: string): string {
  return sha256Hex(canonicalJson({ commitment: 'blindrand-seed', masterSeed, studyCode }));
}

/** Advance a stream by `count` draws (dynamic methods address draws by index). */
export function skipDraws(stream: RandomStream, count: number): RandomStream {
  for (let i = 0; i < count; i++) stream.double();
  return stream;
}
