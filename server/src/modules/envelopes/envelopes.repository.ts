/**
 * Downtime envelopes and the list entries they own. Every read joins the entry (position, code, arm).
 * Every read and update names the study: an envelope of another study is not found.
 */
import type { Sql } from '../../database/sql.js';
import { toEnvelopeRecord, type EnvelopeRecord } from './envelope.record.js';

const SELECT = `SELECT e.*, l.position, l.arm_code, l.treatment_code, a.randomization_number, a.participant_id
  FROM envelopes e JOIN list_entries l ON l.id = e.list_entry_id LEFT JOIN allocations a ON a.id = e.allocation_id`;

export const EnvelopesRepository = {
  list: (sql: Sql, studyId: number, schemeId: string) =>
    sql.all(
      `${SELECT} WHERE e.study_id = ? AND e.scheme_id = ? ORDER BY e.number`,
      [studyId, schemeId],
      toEnvelopeRecord,
    ),

  byNumber: (sql: Sql, studyId: number, schemeId: string, number: number) =>
    sql.one(
      `${SELECT} WHERE e.study_id = ? AND e.scheme_id = ? AND e.number = ?`,
      [studyId, schemeId, number],
      toEnvelopeRecord,
    ),

  /** The envelopes of one site and stratum, in their order of use, row-locked on PostgreSQL. */
  channel: (sql: Sql, studyId: number, schemeId: string, siteCode: string, stratumKey: string, forUpdate = false) =>
    sql.all(
      `${SELECT} WHERE e.study_id = ? AND e.scheme_id = ? AND e.site_code = ? AND e.stratum_key = ? ORDER BY e.ordinal${forUpdate && sql.dialect === 'postgres' ? ' FOR UPDATE OF e' : ''}`,
      [studyId, schemeId, siteCode, stratumKey],
      toEnvelopeRecord,
    ),

  nextNumber: async (sql: Sql, studyId: number, schemeId: string) =>
    (await sql.count('SELECT COALESCE(MAX(number), 0) AS n FROM envelopes WHERE study_id = ? AND scheme_id = ?', [
      studyId,
      schemeId,
    ])) + 1,

  async insert(sql: Sql, studyId: number, e: EnvelopeRecord): Promise<void> {
    await sql.exec(
      `INSERT INTO envelopes (study_id, id, scheme_id, number, site_code, stratum_key, ordinal, list_entry_id, commitment, nonce, status, reserved_by, reserved_at, reserve_signature_id, print_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reserved', ?, ?, ?, 0)`,
      [
        studyId,
        e.id,
        e.schemeId,
        e.number,
        e.siteCode,
        e.stratumKey,
        e.ordinal,
        e.listEntryId,
        e.commitment,
        e.nonce,
        e.reservedBy,
        e.reservedAt,
        e.reserveSignatureId,
      ],
    );
  },

  countPrint: (sql: Sql, studyId: number, ids: string[]) =>
    sql.exec(
      `UPDATE envelopes SET print_count = print_count + 1 WHERE study_id = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      [studyId, ...ids],
    ),

  /** reserved → used; the WHERE makes a second use of the same envelope change nothing (checked by the caller). */
  markUsed: (
    sql: Sql,
    studyId: number,
    id: string,
    u: { allocationId: string; openedAt: string; openedBy: string; reconciledBy: string; reconciledAt: string },
  ) =>
    sql.exec(
      "UPDATE envelopes SET status = 'used', allocation_id = ?, opened_at = ?, opened_by = ?, reconciled_by = ?, reconciled_at = ? WHERE study_id = ? AND id = ? AND status = 'reserved'",
      [u.allocationId, u.openedAt, u.openedBy, u.reconciledBy, u.reconciledAt, studyId, id],
    ),

  markVoided: (
    sql: Sql,
    studyId: number,
    id: string,
    v: { voidedBy: string; voidedAt: string; reason: string; signatureId: string },
  ) =>
    sql.exec(
      "UPDATE envelopes SET status = 'voided', voided_by = ?, voided_at = ?, void_reason = ?, void_signature_id = ? WHERE study_id = ? AND id = ? AND status = 'reserved'",
      [v.voidedBy, v.voidedAt, v.reason, v.signatureId, studyId, id],
    ),
};
