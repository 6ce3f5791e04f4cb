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
import { Xor4096 } from './xor4096.js';

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
export function deriveStream(
  masterSeed: string,
  studyCode: string,
  stratumKey: string,
  purpose: StreamPurpose,
): RandomStream {
  if (typeof masterSeed !== 'string' || masterSeed.length === 0)
    throw new TypeError('deriveStream: the master seed must be a non-empty string');
  const hex = sha256Hex(canonicalJson({ masterSeed, studyCode, stratumKey, purpose }));
  // The PRNG itself is returned (it has .double()): a wrapper would cost a call per draw in simulations.
  return seedrandom.xor4096(hex);
}

/**
 * The same stream as deriveStream (same seed, same doubles, bit for bit), from the batch xor4096:
 * for simulations, which draw hundreds of millions of doubles.
 */
export function deriveBatchStream(
  masterSeed: string,
  studyCode: string,
  stratumKey: string,
  purpose: StreamPurpose,
): Xor4096 {
  if (typeof masterSeed !== 'string' || masterSeed.length === 0)
    throw new TypeError('deriveStream: the master seed must be a non-empty string');
  return new Xor4096(sha256Hex(canonicalJson({ masterSeed, studyCode, stratumKey, purpose })));
}

/**
 * A public commitment to the master seed: published with the fingerprint so that, once the
 * seed and salt are disclosed, anyone can check it is the one that was fixed before enrolment.
 * With a salt (256 secret random bits, released only at end-of-study unblinding) nobody can test
 * a guessed seed against it; without one (schemes stored before salting) it is the legacy form.
 */
export function seedCommitment(masterSeed: string, studyCode: string, salt?: string): string {
  if (salt === undefined) return sha256Hex(canonicalJson({ commitment: 'blindrand-seed', masterSeed, studyCode }));
  return sha256Hex(canonicalJson({ commitment: 'blindrand-seed-salted', masterSeed, salt, studyCode }));
}

/** A salt or server random part: 256 bits as 64 lower-case hex digits. */
export const SECRET_HEX = /^[0-9a-f]{64}$/;

/**
 * The production master seed: the server's random bits (≥ 256, hex) mixed with an optional
 * phrase a person chose. The phrase can only add entropy: without the random part, knowing the
 * phrase (or guessing it) gives nothing. The result is 64 hex digits, usable as any seed.
 */
export function mixSeed(randomHex: string, phrase?: string): string {
  if (!SECRET_HEX.test(randomHex)) throw new TypeError('mixSeed: the random part must be 256 bits as 64 hex digits');
  if (phrase === undefined || phrase === '') return randomHex;
  return sha256Hex(canonicalJson({ mix: 'blindrand-seed-phrase', phrase, random: randomHex }));
}

/** Advance a stream by `count` draws (dynamic methods address draws by index). */
export function skipDraws(stream: RandomStream, count: number): RandomStream {
  for (let i = 0; i < count; i++) stream.double();
  return stream;
}
