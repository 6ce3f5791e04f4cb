/**
 * Sealed audit details (issue 11). Whatever in an entry depends on an arm lives under
 * `details.unblinded`; it is stored apart (table audit_sealed) with a 256-bit random nonce, and the
 * chain hashes only `details.unblinded = {commitment}` with
 *   commitment = SHA-256(nonce bytes ‖ UTF-8 canonical JSON of the sealed value).
 * A blinded reader sees the commitment and can re-hash the chain, but without the nonce cannot test a
 * guess of arms. Unblinded readers and the offline verifier (who hold the nonce) check the sealed
 * value against it.
 *
 * Chains written before migration 004 hashed the plaintext. Those hashes are signed in checkpoints and
 * copied to the checkpoint file, so they cannot be re-sealed; instead the migration re-anchors the
 * chain (see migrations/004-sealed-audit.ts): the first new entry's prevHash is a commitment to the
 * legacy head, and every legacy hash from the first arm-bearing legacy entry on is withheld from
 * blinded readers (each of them, and every later legacy hash, would test a guess).
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';

/** Details under this key carry arms (allocation, reveal, dispensed product, unblinded digests). */
export const UNBLINDED_DETAILS_KEY = 'unblinded';

/** What blinded readers see in place of a legacy hash that would test a guess of arms. */
export const WITHHELD = 'withheld';

/** The sealed value of one entry and its nonce (hex, 32 bytes). */
export interface SealedPart {
  nonce: string;
  content: unknown;
}

/** Where the legacy (plaintext-hashed) part of the chain ends; written once by migration 004. */
export interface SealState {
  /** Entries 1..legacySize were written before sealing existed. */
  legacySize: number;
  /** The first legacy entry carrying arm-dependent content, or null (then no re-anchor entry exists). */
  legacyFirstSealed: number | null;
}

export const NO_LEGACY: SealState = { legacySize: 0, legacyFirstSealed: null };

/** Legacy entries kept an arm-dependent digest outside `unblinded`; blinded views drop these fields. */
export const LEGACY_ARM_DIGESTS: Readonly<Record<string, readonly string[]>> = {
  'export.cdisc': ['sha256'],
  'scheme.imported': ['csvSha256'],
};

export function newNonce(): string {
  return randomBytes(32).toString('hex');
}

export function commitmentOf(nonceHex: string, content: unknown): string {
  return createHash('sha256').update(Buffer.from(nonceHex, 'hex')).update(canonicalJson(content), 'utf8').digest('hex');
}

type Details = Record<string, unknown>;

function asObject(details: unknown): Details | null {
  return details && typeof details === 'object' && !Array.isArray(details) ? (details as Details) : null;
}

/** Splits details into what the chain stores and hashes, and the sealed part (or null). */
export function sealDetails(details: Details, nonce = newNonce()): { stored: Details; sealed: SealedPart | null } {
  if (!(UNBLINDED_DETAILS_KEY in details) || details[UNBLINDED_DETAILS_KEY] === undefined)
    return { stored: details, sealed: null };
  const content = details[UNBLINDED_DETAILS_KEY];
  return {
    stored: { ...details, [UNBLINDED_DETAILS_KEY]: { commitment: commitmentOf(nonce, content) } },
    sealed: { nonce, content },
  };
}

/** The commitment stored in place of the sealed value, or null when the entry has none. */
export function storedCommitment(details: unknown): string | null {
  const marker = asObject(asObject(details)?.[UNBLINDED_DETAILS_KEY]);
  if (!marker || Object.keys(marker).length !== 1 || typeof marker.commitment !== 'string') return null;
  return marker.commitment;
}

export function hasArmContent(action: string, details: unknown): boolean {
  const d = asObject(details);
  if (!d) return false;
  return UNBLINDED_DETAILS_KEY in d || (LEGACY_ARM_DIGESTS[action] ?? []).some((k) => k in d);
}

export const isLegacy = (seq: number, state: SealState): boolean => seq <= state.legacySize;
export const isAnchor = (seq: number, state: SealState): boolean =>
  state.legacyFirstSealed !== null && seq === state.legacySize + 1;
/** Legacy hashes from the first arm-bearing legacy entry to the legacy head: each one tests a guess. */
export const isWithheld = (seq: number, state: SealState): boolean =>
  state.legacyFirstSealed !== null && seq >= state.legacyFirstSealed && seq <= state.legacySize;

/** A blinded reader's way to the seal state: the re-anchor entry names where the legacy chain ends. */
export function sealStateFromEntries(entries: Array<{ action: string; details: unknown }>): SealState {
  const anchor = entries.find((e) => e.action === 'audit.seal_anchor');
  const d = asObject(anchor?.details);
  if (!d) return NO_LEGACY;
  return { legacySize: Number(d.legacySize), legacyFirstSealed: Number(d.legacyFirstSealedSeq) };
}
