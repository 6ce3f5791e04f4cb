/**
 * The one verification of the audit chain, shared by the server (GET /api/audit/verify) and the CLI
 * (`audit verify`). It reads ONE consistent picture, in this order:
 *   1. the checkpoint file (before the snapshot: every line in it was written after its transaction
 *      committed, so every checkpoint it holds is inside the snapshot taken next);
 *   2. in one read-only transaction: the seal state, the chain head, the checkpoints, the entries
 *      (streamed page by page, with their sealed parts) and the key-rotation records.
 * Reading them in separate statements while a server writes gave false "entries were deleted" alarms:
 * a checkpoint committed between the read of the entries and the read of the checkpoints looked like a
 * truncated chain. In this order no checkpoint can be newer than the snapshot (the file is read before
 * it, and each line was written after its commit), so one beyond the snapshot's chain is a real
 * deletion or a restored backup, never a race.
 */
import type { KeyObject } from 'node:crypto';
import type { CheckpointView, VerifyResult } from '../../../../shared/contract.js';
import { ChainVerifier } from './audit-chain.js';
import { readSealState, SEALED_ENTRY_COLUMNS, SEALED_ENTRY_FROM, toCheckpoint, toStoredEntry, type Query } from './audit.repository.js';
import { KeyRing, readRotationRecords } from './key-ring.js';
import { describeBadLines, mergeCheckpoints, readCheckpointFileDetailed } from './checkpoint-file.js';

export type { Query };

export interface VerifySource {
  /** Runs `work` inside one read-only transaction (a consistent snapshot). */
  snapshot<T>(work: (query: Query) => Promise<T>): Promise<T>;
  checkpointFilePath: string | null;
  /** Checkpoints exported earlier (CLI --checkpoint), read before the snapshot like the file. */
  extraCheckpoints?: CheckpointView[];
  trustedKey: KeyObject | null;
  pageSize?: number;
}

export async function verifyAuditChain(source: VerifySource): Promise<VerifyResult> {
  const file = source.checkpointFilePath ? readCheckpointFileDetailed(source.checkpointFilePath) : null;
  const outside = [...(file?.checkpoints ?? []), ...(source.extraCheckpoints ?? [])];
  const pageSize = source.pageSize ?? 1000;
  const result = await source.snapshot(async (query) => {
    const state = await readSealState(query);
    const [head] = await query('SELECT seq, hash FROM audit_head WHERE id = 1');
    const fromDb = (await query('SELECT * FROM audit_checkpoints ORDER BY size')).map(toCheckpoint);
    const verifier = new ChainVerifier(mergeCheckpoints(fromDb, outside), { state, full: true });
    for (let after = 0; ; ) {
      const rows = await query(`SELECT ${SEALED_ENTRY_COLUMNS} FROM ${SEALED_ENTRY_FROM} WHERE l.seq > ? ORDER BY l.seq LIMIT ?`, [after, pageSize]);
      for (const row of rows) verifier.push(toStoredEntry(row));
      if (rows.length < pageSize) break;
      after = Number(rows[rows.length - 1].seq);
    }
    // Rotated keys: the ring walks from the trusted key through rotation records it can check.
    const ring = source.trustedKey ? KeyRing.from(source.trustedKey, await readRotationRecords((sql) => query(sql))) : null;
    const verified = verifier.finish(ring);
    if (head && (Number(head.seq) !== verified.count || String(head.hash) !== verified.headHash)) {
      verified.problems.push(`the chain head record (entry ${Number(head.seq)}) disagrees with the entries (${verified.count}): entries were added or deleted outside the write path`);
      verified.valid = false;
      if (verified.firstInvalidSeq === null) verified.firstInvalidSeq = Math.min(Number(head.seq), verified.count) + 1;
    }
    return verified;
  });
  const warnings = [...(result.warnings ?? []), ...(file ? describeBadLines(file) : [])];
  return warnings.length ? { ...result, warnings } : result;
}
