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
import { asStr } from '../../database/sql.js';
import { chainGenesis, ChainVerifier, type SealedOpener } from '../../database/audit/audit-chain.js';
import type { ChainId } from '../../database/study-scope.js';
import {
  readDetails,
  readSealState,
  SEALED_ENTRY_COLUMNS,
  SEALED_ENTRY_FROM,
  toCheckpoint,
  toStoredEntry,
  type Query,
} from './audit.repository.js';
import { KeyRing, readRotationRecords, type KeyRotationRecord } from '../../database/audit/key-ring.js';
import {
  describeBadLines,
  mergeCheckpoints,
  readCheckpointFileDetailed,
} from '../../database/audit/checkpoint-file.js';

/** Rows as arrays in the order of the select list (better-sqlite3's raw mode). */
type RawQuery = (sql: string, params: unknown[]) => Promise<unknown[][]>;

export interface VerifySource {
  /** The chain verified: a study's (its id). Other chains' entries and checkpoints are not read. */
  chain: ChainId;
  /**
   * Runs `work` inside one read-only transaction (a consistent snapshot). A SQLite source also gives
   * `raw`, which turns on the fast path below (PostgreSQL's JSON text is not canonical, so it keeps
   * the row-by-row check).
   */
  snapshot<T>(work: (query: Query, raw?: RawQuery) => Promise<T>): Promise<T>;
  checkpointFilePath: string | null;
  /** Checkpoints exported earlier (CLI --checkpoint), read before the snapshot like the file. */
  extraCheckpoints?: CheckpointView[];
  trustedKey: KeyObject | null;
  pageSize?: number;
}

/**
 * SQLite writes the text an entry's hash covers (prev_hash ‖ audit-chain.ts entryText: keys in
 * canonical order, strings through json_quote, the stored details text as is), so a row costs one
 * string and one SHA-256 in JavaScript instead of an object, a JSON.parse and a canonical
 * re-serialization. A row whose text does not hash to its stored hash (tampered, or details stored
 * with keys out of canonical order by an older release) is read again in full and checked exactly as
 * before (ChainVerifier.push).
 *
 * Sealed parts come from one range query per page, not a join: the LEFT JOIN to audit_sealed cost a
 * lookup per row (≈ 1.3 µs, more than the SHA-256 of the entry). The details an entry's commitment is
 * read from are cut out of the hashed text (detailsOf), which equals the stored details text once the
 * hash matched.
 */
const CANONICAL_TAIL =
  `'{"action":' || json_quote(l.action) || ',"actor":' || json_quote(l.actor) || ',"at":' || json_quote(l.at) || ',"details":' || l.details || ` +
  `',"entityId":' || json_quote(l.entity_id) || ',"entityType":' || json_quote(l.entity_type) || ',"reason":' || json_quote(l.reason) || ` +
  `',"role":' || json_quote(l.role) || ',"seq":' || l.seq || '}'`;
const FAST_PAGE =
  `SELECT l.seq, l.prev_hash, l.prev_hash || ${CANONICAL_TAIL}, l.hash ` +
  `FROM audit_log l WHERE l.chain = ? AND l.seq > ? ORDER BY l.seq LIMIT ?`;
const SEALED_RANGE = 'SELECT seq, nonce, content FROM audit_sealed WHERE chain = ? AND seq > ? AND seq <= ?';
const [SEQ, PREV, TEXT, HASH] = [0, 1, 2, 3];
const SLOW_PAGE = `SELECT ${SEALED_ENTRY_COLUMNS} FROM ${SEALED_ENTRY_FROM} WHERE l.chain = ? AND l.seq > ? ORDER BY l.seq LIMIT ?`;
const ONE_ENTRY = `SELECT ${SEALED_ENTRY_COLUMNS} FROM ${SEALED_ENTRY_FROM} WHERE l.chain = ? AND l.seq = ?`;

/**
 * The details text inside an entry's hashed text. Every string field is JSON-escaped, so `,"` occurs
 * in them only at key separators: the first `,"details":` and the last `,"entityId":` (the fields
 * after it cannot hold one) bound the details exactly, even when the details hold those keys.
 */
function detailsOf(text: string): string {
  return text.slice(text.indexOf(',"details":') + 11, text.lastIndexOf(',"entityId":'));
}

/**
 * Given when the entry may carry a sealed part: a sealed row exists, or its text mentions "unblinded"
 * (a superset of the details mentioning it; the commitment check decides).
 */
function opener(text: string, sealed: unknown[] | undefined): SealedOpener | null {
  if (!sealed && !text.includes('unblinded')) return null;
  return () => ({
    details: readDetails(detailsOf(text)),
    sealed: sealed ? { nonce: asStr(sealed[1]), content: readDetails(sealed[2]) } : null,
  });
}

/** The page's sealed parts by seq (one range query; most pages have few or none). */
async function sealedParts(raw: RawQuery, chain: ChainId, after: number, last: number) {
  const bySeq = new Map<number, unknown[]>();
  for (const r of await raw(SEALED_RANGE, [chain, after, last])) bySeq.set(Number(r[0]), r);
  return bySeq;
}

/** Pushes one page; returns the seq of its last row and how many rows it had (fewer than asked: the end). */
async function pushPage(
  query: Query,
  raw: RawQuery | undefined,
  verifier: ChainVerifier,
  chain: ChainId,
  after: number,
  pageSize: number,
): Promise<{ rows: number; last: number }> {
  // json_quote refuses BLOB values (only tampering stores one): such a page is read the slow way.
  const rows = raw ? await raw(FAST_PAGE, [chain, after, pageSize]).catch(() => null) : null;
  if (rows && raw) {
    const last = rows.length ? Number(rows[rows.length - 1][SEQ]) : after;
    const sealed = rows.length ? await sealedParts(raw, chain, after, last) : null;
    for (const r of rows) {
      const text = r[TEXT];
      const open = typeof text === 'string' ? opener(text, sealed?.get(Number(r[SEQ]))) : null;
      if (verifier.pushCanonical(r[SEQ], r[PREV], text, r[HASH], open)) continue;
      const [full] = await query(ONE_ENTRY, [chain, r[SEQ]]);
      verifier.push(toStoredEntry(full));
    }
    return { rows: rows.length, last };
  }
  const slow = await query(SLOW_PAGE, [chain, after, pageSize]);
  for (const row of slow) verifier.push(toStoredEntry(row));
  return { rows: slow.length, last: slow.length ? Number(slow[slow.length - 1].seq) : after };
}

/**
 * The end of every verification, whether the entries came from a database (below) or from the files of
 * a study archive (cli/archive/archive-verify.ts): the checkpoints' signatures through the key ring of
 * the trusted key and its rotation records, then the recorded chain head against the entries.
 */
export function concludeVerification(
  verifier: ChainVerifier,
  trustedKey: KeyObject | null,
  rotations: KeyRotationRecord[],
  head: { seq: number; hash: string } | null,
): VerifyResult {
  // Rotated keys: the ring walks from the trusted key through rotation records it can check.
  const ring = trustedKey ? KeyRing.from(trustedKey, rotations) : null;
  const verified = verifier.finish(ring);
  if (head && (head.seq !== verified.count || head.hash !== verified.headHash)) {
    verified.problems.push(
      `the chain head record (entry ${head.seq}) disagrees with the entries (${verified.count}): entries were added or deleted outside the write path`,
    );
    verified.valid = false;
    if (verified.firstInvalidSeq === null) verified.firstInvalidSeq = Math.min(head.seq, verified.count) + 1;
  }
  return verified;
}

export async function verifyAuditChain(source: VerifySource): Promise<VerifyResult> {
  const chain = source.chain;
  const file = source.checkpointFilePath ? readCheckpointFileDetailed(source.checkpointFilePath, chain) : null;
  const outside = [...(file?.checkpoints ?? []), ...(source.extraCheckpoints ?? [])];
  const pageSize = source.pageSize ?? 1000;
  const result = await source.snapshot(async (query, raw) => {
    const state = await readSealState(query, chain);
    const [head] = await query('SELECT seq, hash FROM audit_head WHERE id = ?', [chain]);
    const fromDb = (await query('SELECT * FROM audit_checkpoints WHERE chain = ? ORDER BY size', [chain])).map(
      toCheckpoint,
    );
    // The genesis comes from the study's code, never from the head row (which a forger could write).
    const [study] = await query('SELECT code FROM study WHERE id = ?', [chain]);
    const genesis = chainGenesis(chain, String(study?.code ?? ''));
    const verifier = new ChainVerifier(mergeCheckpoints(fromDb, outside), { state, full: true, genesis });
    for (let after = 0; ;) {
      const page = await pushPage(query, raw, verifier, chain, after, pageSize);
      if (page.rows < pageSize) break;
      after = page.last;
    }
    const rotations = source.trustedKey ? await readRotationRecords((sql) => query(sql)) : [];
    return concludeVerification(
      verifier,
      source.trustedKey,
      rotations,
      head ? { seq: Number(head.seq), hash: String(head.hash) } : null,
    );
  });
  const warnings = [...(result.warnings ?? []), ...(file ? describeBadLines(file) : [])];
  return warnings.length ? { ...result, warnings } : result;
}
