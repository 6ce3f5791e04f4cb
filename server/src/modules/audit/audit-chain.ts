/**
 * The audit chain's arithmetic, shared by the server and the offline CLI verifier:
 * hash = SHA-256(prevHash ‖ canonical JSON of the entry), checkpoints signed with Ed25519.
 * Pure apart from node:crypto; no database access.
 */
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import type { AuditEntryView, CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { KeyRing } from './key-ring.js';

export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything but the hashes themselves. */
export type AuditEntryContent = Omit<AuditEntryView, 'prevHash' | 'hash'>;

/** An entry as stored (the same shape the API returns, before redaction). */
export type StoredAuditEntry = AuditEntryView;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function entryHash(prevHash: string, entry: AuditEntryContent): string {
  const { seq, at, actor, role, action, entityType, entityId, reason, details } = entry;
  return sha256Hex(prevHash + canonicalJson({ seq, at, actor, role, action, entityType, entityId, reason, details }));
}

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(cp: { size: number; headHash: string; at: string }): string {
  return canonicalJson({ size: cp.size, headHash: cp.headHash, at: cp.at });
}

export function publicKeyFromBase64(spkiBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
}

export function checkpointSignatureValid(cp: CheckpointView, trustedKey: KeyObject): boolean {
  try {
    return verifySignature(null, Buffer.from(checkpointMessage(cp)), trustedKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Verifies a whole chain (rows in seq order) against signed checkpoints. The trusted key comes from
 * the key file, never from the database, so a chain rebuilt with database access alone is caught:
 * its hashes no longer match the signed heads, and forged checkpoints fail the signature.
 */
export function verifyChain(rows: StoredAuditEntry[], checkpoints: CheckpointView[], trusted: KeyObject | KeyRing | null): VerifyResult {
  const problems: string[] = [];
  let firstInvalidSeq: number | null = null;
  let prev = GENESIS_HASH;
  const hashAt = new Map<number, string>();
  rows.forEach((row, index) => {
    if (firstInvalidSeq !== null) return;
    const expectedSeq = index + 1;
    if (row.seq !== expectedSeq) {
      firstInvalidSeq = expectedSeq;
      problems.push(`entry ${expectedSeq} is missing (found seq ${row.seq} in its place)`);
      return;
    }
    if (row.prevHash !== prev) {
      firstInvalidSeq = row.seq;
      problems.push(`entry ${row.seq}: prevHash does not match the hash of entry ${row.seq - 1}`);
      return;
    }
    const recomputed = entryHash(prev, row);
    if (recomputed !== row.hash) {
      firstInvalidSeq = row.seq;
      problems.push(`entry ${row.seq}: content does not match its hash (edited after it was written)`);
      return;
    }
    prev = row.hash;
    hashAt.set(row.seq, row.hash);
  });

  const count = rows.length;
  let checked: VerifyResult['checkpoint'] = null;
  const ordered = [...checkpoints].sort((a, b) => a.size - b.size);
  for (const cp of ordered) {
    // With rotated keys, each checkpoint is checked with the key of record for its size only.
    const trustedKey = trusted instanceof KeyRing ? trusted.keyForSize(cp.size) : trusted;
    const signatureValid = trustedKey ? checkpointSignatureValid(cp, trustedKey) : false;
    const matches = hashAt.get(cp.size) === cp.headHash;
    if (!signatureValid) problems.push(`checkpoint at size ${cp.size}: signature does not verify with the trusted key`);
    if (cp.size > count) {
      problems.push(`checkpoint at size ${cp.size} is signed, but the chain has only ${count} entries: entries were deleted`);
      if (firstInvalidSeq === null) firstInvalidSeq = count + 1;
    } else if (!matches && firstInvalidSeq === null) {
      problems.push(`checkpoint at size ${cp.size}: the chain's hash there differs from the signed head (chain rewritten)`);
    }
    checked = { size: cp.size, headHash: cp.headHash, at: cp.at, signatureValid, matches };
  }
  if (trusted instanceof KeyRing) problems.push(...trusted.problems);
  if (!trusted && ordered.length > 0) problems.push('no trusted public key given: checkpoint signatures were not checked');

  return {
    valid: problems.length === 0,
    count,
    headHash: rows.length ? rows[rows.length - 1].hash : GENESIS_HASH,
    firstInvalidSeq,
    checkpoint: checked,
    problems,
  };
}
