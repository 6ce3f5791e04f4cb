/**
 * The verifier remembers checkpoint signatures it found valid (audit-chain.ts), so that a chain verified
 * again and again does not re-check every old signature. A remembered answer must be the answer: the
 * same checkpoint under another key, with another signature, or with any signed field changed is
 * checked afresh and refused, however often the genuine one was verified before.
 */
import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import {
  checkpointMessage,
  entryHash,
  GENESIS_HASH,
  verifyChain,
  type StoredAuditEntry,
} from '../../server/src/database/audit/audit-chain.js';
import type { CheckpointView } from '../../shared/contract.js';

const signer = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

function chain(size: number): { rows: StoredAuditEntry[]; checkpoints: CheckpointView[] } {
  const rows: StoredAuditEntry[] = [];
  const checkpoints: CheckpointView[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= size; seq++) {
    const content = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: 'admin',
      role: 'admin',
      action: 'site.created',
      entityType: 'site',
      entityId: `S${seq}`,
      reason: null,
      details: { code: `S${seq}` },
    };
    const hash = entryHash(prev, content);
    rows.push({ ...content, prevHash: prev, hash });
    prev = hash;
    const cp = { size: seq, headHash: hash, at: content.at };
    const signature = sign(null, Buffer.from(checkpointMessage(cp)), signer.privateKey).toString('base64');
    checkpoints.push({ ...cp, signature, publicKey: 'unused' });
  }
  return { rows, checkpoints };
}

const signatureProblems = (problems: string[]) => problems.filter((p) => /signature does not verify/.test(p));

describe('remembered checkpoint signatures', () => {
  const { rows, checkpoints } = chain(12);

  it('the genuine chain verifies every time, with the key object or another object of the same key', () => {
    for (let i = 0; i < 3; i++) expect(verifyChain(rows, checkpoints, signer.publicKey).valid).toBe(true);
    const sameKey = createPublicKey(signer.publicKey.export({ format: 'pem', type: 'spki' }));
    expect(verifyChain(rows, checkpoints, sameKey).valid).toBe(true);
    // The private key object stands for its public key.
    expect(verifyChain(rows, checkpoints, signer.privateKey).valid).toBe(true);
  });

  it('after those hits, another key is refused for every checkpoint', () => {
    const result = verifyChain(rows, checkpoints, other.publicKey);
    expect(result.valid).toBe(false);
    expect(signatureProblems(result.problems)).toHaveLength(checkpoints.length);
  });

  it('after those hits, a changed signature or a changed signed field is refused, every time', () => {
    const sig = Buffer.from(checkpoints[5].signature, 'base64');
    sig[3] ^= 1;
    const cases: CheckpointView[][] = [
      checkpoints.map((cp, i) => (i === 5 ? { ...cp, signature: sig.toString('base64') } : cp)),
      checkpoints.map((cp, i) => (i === 5 ? { ...cp, at: '2026-01-01T00:00:07.000Z' } : cp)),
      checkpoints.map((cp, i) => (i === 5 ? { ...cp, signature: checkpoints[6].signature } : cp)),
    ];
    for (const tampered of cases)
      for (let i = 0; i < 2; i++) {
        const result = verifyChain(rows, tampered, signer.publicKey);
        expect(result.valid).toBe(false);
        expect(signatureProblems(result.problems)).toEqual([
          'checkpoint at size 6: signature does not verify with the trusted key',
        ]);
      }
    expect(verifyChain(rows, checkpoints, signer.publicKey).valid).toBe(true);
  });
});
