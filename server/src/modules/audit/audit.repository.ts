/** Reads of the audit chain. Writes happen only through AuditWriter inside the write path. */
import type { CheckpointView } from '../../../../shared/contract.js';
import { asJson, asStr, asStrOrNull, type Sql } from '../../database/sql.js';
import type { StoredAuditEntry } from '../../database/audit/audit-chain.js';
import { NO_LEGACY, type SealState } from '../../database/audit/audit-seal.js';
import type { ChainId } from '../../database/study-scope.js';

export interface AuditFilter {
  after?: number;
  limit: number;
  action?: string;
  actor?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

/** Details as stored; text that is no longer JSON (tampering) stays text, so its hash cannot match. */
export function readDetails(v: unknown): unknown {
  try {
    return asJson(v, {});
  } catch {
    return { unreadableDetails: String(v) };
  }
}

export function toStoredEntry(r: Record<string, unknown>): StoredAuditEntry {
  return {
    seq: Number(r.seq),
    at: asStr(r.at),
    actor: asStr(r.actor),
    role: asStr(r.role),
    action: asStr(r.action),
    entityType: asStr(r.entity_type),
    entityId: asStrOrNull(r.entity_id),
    reason: asStrOrNull(r.reason),
    details: readDetails(r.details),
    prevHash: asStr(r.prev_hash),
    hash: asStr(r.hash),
    sealed:
      r.sealed_nonce === null || r.sealed_nonce === undefined
        ? null
        : { nonce: asStr(r.sealed_nonce), content: readDetails(r.sealed_content) },
  };
}

export function toCheckpoint(r: Record<string, unknown>): CheckpointView {
  return {
    size: Number(r.size),
    headHash: asStr(r.head_hash),
    at: asStr(r.at),
    signature: asStr(r.signature),
    publicKey: asStr(r.public_key),
  };
}

/** Entries with their sealed parts (audit_sealed), joined by chain and seq; callers filter l.chain. */
export const SEALED_ENTRY_COLUMNS = 'l.*, s.nonce AS sealed_nonce, s.content AS sealed_content';
export const SEALED_ENTRY_FROM = 'audit_log l LEFT JOIN audit_sealed s ON s.chain = l.chain AND s.seq = l.seq';

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Where the legacy (plaintext-hashed) chain ends; written once by migration 004 (for the first study's chain: its id is the chain). */
export async function readSealState(query: Query, chain: ChainId): Promise<SealState> {
  const [row] = await query('SELECT legacy_size, legacy_first_sealed FROM audit_seal_state WHERE id = ?', [chain]);
  if (!row) return NO_LEGACY;
  const first = row.legacy_first_sealed;
  return {
    legacySize: Number(row.legacy_size),
    legacyFirstSealed: first === null || first === undefined ? null : Number(first),
  };
}

export const AuditRepository = {
  async page(sql: Sql, chain: ChainId, f: AuditFilter): Promise<StoredAuditEntry[]> {
    const where: string[] = ['l.chain = ?', 'l.seq > ?'];
    const params: unknown[] = [chain, f.after ?? 0];
    const eq: Array<[string, string | undefined]> = [
      ['l.action', f.action],
      ['l.actor', f.actor],
      ['l.entity_type', f.entityType],
      ['l.entity_id', f.entityId],
    ];
    for (const [column, value] of eq) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (f.from) {
      where.push('l.at >= ?');
      params.push(f.from);
    }
    if (f.to) {
      where.push('l.at <= ?');
      params.push(f.to);
    }
    params.push(f.limit + 1);
    return sql.all(
      `SELECT ${SEALED_ENTRY_COLUMNS} FROM ${SEALED_ENTRY_FROM} WHERE ${where.join(' AND ')} ORDER BY l.seq LIMIT ?`,
      params,
      toStoredEntry,
    );
  },

  async sealState(sql: Sql, chain: ChainId): Promise<SealState> {
    return readSealState((q, p) => sql.all(q, p), chain);
  },

  async checkpoints(sql: Sql, chain: ChainId): Promise<CheckpointView[]> {
    return sql.all('SELECT * FROM audit_checkpoints WHERE chain = ? ORDER BY size', [chain], toCheckpoint);
  },
};
