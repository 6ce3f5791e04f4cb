/** Reads of the audit chain. Writes happen only through AuditWriter inside the write path. */
import type { CheckpointView } from '../../../../shared/contract.js';
import { asJson, asStr, asStrOrNull, type Sql } from '../../database/sql.js';
import type { StoredAuditEntry } from './audit-chain.js';

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
function readDetails(v: unknown): unknown {
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
  };
}

export function toCheckpoint(r: Record<string, unknown>): CheckpointView {
  return { size: Number(r.size), headHash: asStr(r.head_hash), at: asStr(r.at), signature: asStr(r.signature), publicKey: asStr(r.public_key) };
}

export const AuditRepository = {
  async page(sql: Sql, f: AuditFilter): Promise<StoredAuditEntry[]> {
    const where: string[] = ['seq > ?'];
    const params: unknown[] = [f.after ?? 0];
    const eq: Array<[string, string | undefined]> = [
      ['action', f.action],
      ['actor', f.actor],
      ['entity_type', f.entityType],
      ['entity_id', f.entityId],
    ];
    for (const [column, value] of eq) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    if (f.from) {
      where.push('at >= ?');
      params.push(f.from);
    }
    if (f.to) {
      where.push('at <= ?');
      params.push(f.to);
    }
    params.push(f.limit + 1);
    return sql.all(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, params, toStoredEntry);
  },

  async all(sql: Sql): Promise<StoredAuditEntry[]> {
    return sql.all('SELECT * FROM audit_log ORDER BY seq', [], toStoredEntry);
  },

  async checkpoints(sql: Sql): Promise<CheckpointView[]> {
    return sql.all('SELECT * FROM audit_checkpoints ORDER BY size', [], toCheckpoint);
  },

  async forEntity(sql: Sql, entityType: string, entityId: string): Promise<StoredAuditEntry[]> {
    return sql.all('SELECT * FROM audit_log WHERE entity_type = ? AND entity_id = ? ORDER BY seq', [entityType, entityId], toStoredEntry);
  },
};
