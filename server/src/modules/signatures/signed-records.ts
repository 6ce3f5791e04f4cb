/**
 * Where each kind of signed record lives, and its content exactly as it was signed, rebuilt from
 * the stored record. Verification recomputes this content, so a signature moved onto another
 * record — or a record edited after signing — no longer verifies. The loaders of records that
 * belong to a feature above this module (envelopes, safety) live in that feature
 * (`*-signed-records.ts`) and reach SignatureService through SIGNED_RECORD_LOADERS (features.ts),
 * so that signatures, which every feature uses, imports none of them.
 */
import { asBool, type Sql } from '../../database/sql.js';

export type ContentLoader = (sql: Sql, recordId: string) => Promise<unknown | null>;

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
  'study.creation': async (sql, id) => {
    const s = await sql.one<Record<string, unknown>>('SELECT code, protocol_sha256 FROM study WHERE code = ?', [id]);
    return s && { studyCode: String(s.code), protocolSha256: String(s.protocol_sha256) };
  },
  randomization: async (sql, id) => {
    const r = await sql.one<Record<string, unknown>>('SELECT * FROM allocations WHERE id = ?', [id]);
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
  'study.activation': async (sql, id) => {
    const s = await sql.one<Record<string, unknown>>('SELECT * FROM study WHERE code = ?', [id]);
    if (!s || !s.active_scheme_id) return null;
    return { studyCode: String(s.code), schemeId: String(s.active_scheme_id), fingerprint: String(s.list_fingerprint) };
  },
  correction: async (sql, id) => {
    const c = await sql.one<Record<string, unknown>>('SELECT * FROM corrections WHERE id = ?', [id]);
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
  dispensation: async (sql, id) => {
    const d = await sql.one<Record<string, unknown>>(
      'SELECT d.*, a.treatment_code FROM dispensations d JOIN allocations a ON a.id = d.allocation_id WHERE d.id = ?',
      [id],
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
  'unblinding.request': async (sql, id) => {
    const r = await sql.one<Record<string, unknown>>('SELECT * FROM unblinding_requests WHERE id = ?', [id]);
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
  'unblinding.decision': async (sql, id) => {
    const d = await sql.one<Record<string, unknown>>('SELECT * FROM unblinding_decisions WHERE id = ?', [id]);
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
  'study.lock': async (sql, id) => {
    const s = await sql.one<Record<string, unknown>>('SELECT * FROM study WHERE code = ?', [id]);
    if (!s || !s.locked_at) return null;
    return {
      studyCode: String(s.code),
      listFingerprint: s.list_fingerprint === null ? null : String(s.list_fingerprint),
      lockedAt: String(s.locked_at),
    };
  },
  'study.unblinding': async (sql, id) => {
    const s = await sql.one<Record<string, unknown>>('SELECT * FROM study WHERE code = ?', [id]);
    if (!s || !s.unblinded_at) return null;
    return {
      studyCode: String(s.code),
      listFingerprint: s.list_fingerprint === null ? null : String(s.list_fingerprint),
      lockedAt: String(s.locked_at),
      unblindedAt: String(s.unblinded_at),
    };
  },
};
