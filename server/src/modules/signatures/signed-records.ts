/**
 * Where each kind of signed record lives, and its content exactly as it was signed, rebuilt from
 * the stored record. Verification recomputes this content, so a signature moved onto another
 * record — or a record edited after signing — no longer verifies. The loaders of records that
 * belong to a feature above this module (envelopes, safety) live in that feature
 * (`*-signed-records.ts`) and reach SignatureService through SIGNED_RECORD_LOADERS (features.ts),
 * so that signatures, which every feature uses, imports none of them.
 */
import { asBool, type Sql } from '../../database/sql.js';

/**
 * Rebuilds a record's signed content. With `studyId`, only a record of that study is found (a signature of
 * study B does not verify under study A's path); without it, any study's (to tell "another study's" from
 * "gone"). Instance records (role grants) ignore it.
 */
export type ContentLoader = (sql: Sql, recordId: string, studyId?: number) => Promise<unknown | null>;

/** `WHERE <alias.>id = ?`, and the study when one is given; for the loaders. */
export function byIdIn(studyId: number | undefined, alias = ''): { where: string; params: (id: string) => unknown[] } {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  return studyId === undefined
    ? { where: `${col('id')} = ?`, params: (id) => [id] }
    : { where: `${col('id')} = ? AND ${col('study_id')} = ?`, params: (id) => [id, studyId] };
}

/** One row of a study-scoped table by id (in the study, when given). */
async function rowIn(sql: Sql, table: string, id: string, studyId: number | undefined) {
  const { where, params } = byIdIn(studyId);
  return sql.one<Record<string, unknown>>(`SELECT * FROM ${table} WHERE ${where}`, params(id));
}

/** The study row a study act's record id (its code) names, in the study when given. */
async function studyIn(sql: Sql, code: string, studyId: number | undefined) {
  return studyId === undefined
    ? sql.one<Record<string, unknown>>('SELECT * FROM study WHERE code = ?', [code])
    : sql.one<Record<string, unknown>>('SELECT * FROM study WHERE code = ? AND id = ?', [code, studyId]);
}

/** Injection token: every record type's loader, this module's and the features' (features.ts). */
export const SIGNED_RECORD_LOADERS = 'SIGNED_RECORD_LOADERS';

export const CORE_SIGNED_RECORDS: Record<string, ContentLoader> = {
  'role-grant.decision': async (sql, id) => {
    const g = await sql.one<Record<string, unknown>>('SELECT * FROM role_grants WHERE id = ?', [id]);
    if (!g || g.status === 'pending') return null;
    return {
      grantId: String(g.id),
      userId: String(g.user_id),
      kind: String(g.kind),
      role: String(g.role),
      email: g.email === null ? null : String(g.email),
      status: String(g.status),
      decidedBy: String(g.decided_by),
      ...(g.study_id === null || g.study_id === undefined ? {} : { studyId: Number(g.study_id) }),
    };
  },
  // The creation of a study (POST /api/studies): the study and the protocol file it was created from.
  'study.creation': async (sql, id, studyId) => {
    const s = await studyIn(sql, id, studyId);
    return s && { studyCode: String(s.code), protocolSha256: String(s.protocol_sha256) };
  },
  randomization: async (sql, id, studyId) => {
    const r = await rowIn(sql, 'allocations', id, studyId);
    return (
      r && {
        participantId: String(r.participant_id),
        randomizationNumber: Number(r.randomization_number),
        treatmentCode: String(r.treatment_code),
        stratum: String(r.stratum_key),
        randomizedAt: String(r.randomized_at),
      }
    );
  },
  'study.activation': async (sql, id, studyId) => {
    const s = await studyIn(sql, id, studyId);
    if (!s || !s.active_scheme_id) return null;
    return { studyCode: String(s.code), schemeId: String(s.active_scheme_id), fingerprint: String(s.list_fingerprint) };
  },
  correction: async (sql, id, studyId) => {
    const c = await rowIn(sql, 'corrections', id, studyId);
    return (
      c && {
        participantId: String(c.participant_id),
        field: String(c.field),
        oldValue: JSON.parse(String(c.old_value)),
        newValue: JSON.parse(String(c.new_value)),
        reason: String(c.reason),
      }
    );
  },
  dispensation: async (sql, id, studyId) => {
    const { where, params } = byIdIn(studyId, 'd');
    const d = await sql.one<Record<string, unknown>>(
      `SELECT d.*, a.treatment_code FROM dispensations d JOIN allocations a ON a.id = d.allocation_id WHERE ${where}`,
      params(id),
    );
    return (
      d && {
        id: String(d.id),
        participantId: String(d.participant_id),
        treatmentCode: String(d.treatment_code),
        period: Number(d.period),
        product: String(d.product_code),
        lotNumber: String(d.lot_number),
        preparedBy: String(d.prepared_by),
      }
    );
  },
  'unblinding.request': async (sql, id, studyId) => {
    const r = await rowIn(sql, 'unblinding_requests', id, studyId);
    return (
      r && {
        requestId: String(r.id),
        participantId: String(r.participant_id),
        reason: String(r.reason),
        emergency: asBool(r.emergency),
        policy: String(r.policy),
        requestedBy: String(r.requested_by),
      }
    );
  },
  'unblinding.decision': async (sql, id, studyId) => {
    const d = await rowIn(sql, 'unblinding_decisions', id, studyId);
    return (
      d && {
        requestId: String(d.request_id),
        kind: String(d.kind),
        approve: asBool(d.approve),
        comment: String(d.comment),
        decidedBy: String(d.decided_by),
      }
    );
  },
  'study.lock': async (sql, id, studyId) => {
    const s = await studyIn(sql, id, studyId);
    if (!s || !s.locked_at) return null;
    return {
      studyCode: String(s.code),
      listFingerprint: s.list_fingerprint === null ? null : String(s.list_fingerprint),
      lockedAt: String(s.locked_at),
    };
  },
  'study.unblinding': async (sql, id, studyId) => {
    const s = await studyIn(sql, id, studyId);
    if (!s || !s.unblinded_at) return null;
    return {
      studyCode: String(s.code),
      listFingerprint: s.list_fingerprint === null ? null : String(s.list_fingerprint),
      lockedAt: String(s.locked_at),
      unblindedAt: String(s.unblinded_at),
    };
  },
};
