/** Safety unblindings and inadvertent-unblinding reports, with narrow intent-named queries. Never an arm column. */
import { asInt, asStr, asStrOrNull, type Sql } from '../../database/sql.js';

export type RecipientKind = 'role' | 'email';

export interface SafetyUnblindingRecord {
  id: string;
  participantId: string;
  siteCode: string;
  reason: string;
  reportReference: string | null;
  recipientKind: RecipientKind;
  /** The role name (`pharmacovigilance`) or the e-mail address the protocol designated when the request was made. */
  recipient: string;
  requestedById: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  signatureId: string;
  firstViewedAt: string | null;
  viewCount: number;
  /** Joined for display; never the arm. */
  screeningNumber: string;
  randomizationNumber: number | null;
  treatmentCode: string | null;
}

export interface InadvertentReportRecord {
  id: string;
  occurredOn: string;
  howItHappened: string;
  whoWasUnblinded: string;
  impactAssessment: string;
  correctiveAction: string;
  reportedById: string;
  reportedBy: string;
  reportedByName: string;
  reporterRole: string;
  reportedAt: string;
  signatureId: string;
}

export interface InadvertentPatient {
  reportId: string;
  participantId: string;
  screeningNumber: string;
  siteCode: string;
}

const toSafety = (r: Record<string, unknown>): SafetyUnblindingRecord => ({
  id: asStr(r.id),
  participantId: asStr(r.participant_id),
  siteCode: asStr(r.site_code),
  reason: asStr(r.reason),
  reportReference: asStrOrNull(r.report_reference),
  recipientKind: asStr(r.recipient_kind) as RecipientKind,
  recipient: asStr(r.recipient),
  requestedById: asStr(r.requested_by_id),
  requestedBy: asStr(r.requested_by),
  requestedByName: asStr(r.requested_by_name),
  requestedAt: asStr(r.requested_at),
  signatureId: asStr(r.signature_id),
  firstViewedAt: asStrOrNull(r.first_viewed_at),
  viewCount: asInt(r.view_count),
  screeningNumber: asStr(r.screening_number),
  randomizationNumber:
    r.randomization_number === null || r.randomization_number === undefined ? null : asInt(r.randomization_number),
  treatmentCode: asStrOrNull(r.treatment_code),
});

const toReport = (r: Record<string, unknown>): InadvertentReportRecord => ({
  id: asStr(r.id),
  occurredOn: asStr(r.occurred_on),
  howItHappened: asStr(r.how_it_happened),
  whoWasUnblinded: asStr(r.who_was_unblinded),
  impactAssessment: asStr(r.impact_assessment),
  correctiveAction: asStr(r.corrective_action),
  reportedById: asStr(r.reported_by_id),
  reportedBy: asStr(r.reported_by),
  reportedByName: asStr(r.reported_by_name),
  reporterRole: asStr(r.reporter_role),
  reportedAt: asStr(r.reported_at),
  signatureId: asStr(r.signature_id),
});

const SAFETY_SELECT = `SELECT s.*, p.screening_number, a.randomization_number, a.treatment_code
  FROM safety_unblindings s JOIN participants p ON p.id = s.participant_id LEFT JOIN allocations a ON a.participant_id = s.participant_id`;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export const SafetyRepository = {
  /** A safety unblinding of this study (another study's id is not found). */
  async find(sql: Sql, studyId: number, id: string, forUpdate = false): Promise<SafetyUnblindingRecord | null> {
    const lock = forUpdate && sql.dialect === 'postgres' ? ' FOR UPDATE OF s' : '';
    return sql.one(`${SAFETY_SELECT} WHERE s.study_id = ? AND s.id = ?${lock}`, [studyId, id], toSafety);
  },

  /** The study's safety unblindings, newest first; ordered by time and id, never by anything that depends on an arm. */
  list(
    sql: Sql,
    studyId: number,
    filter: { siteCodes?: string[]; recipientKind?: RecipientKind },
  ): Promise<SafetyUnblindingRecord[]> {
    const where: string[] = ['s.study_id = ?'];
    const params: unknown[] = [studyId];
    if (filter.siteCodes) {
      where.push(filter.siteCodes.length ? `s.site_code IN (${placeholders(filter.siteCodes.length)})` : '1 = 0');
      params.push(...filter.siteCodes);
    }
    if (filter.recipientKind) {
      where.push('s.recipient_kind = ?');
      params.push(filter.recipientKind);
    }
    return sql.all(
      `${SAFETY_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.requested_at DESC, s.id`,
      params,
      toSafety,
    );
  },

  async insert(
    sql: Sql,
    studyId: number,
    r: Omit<SafetyUnblindingRecord, 'screeningNumber' | 'randomizationNumber' | 'treatmentCode'>,
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO safety_unblindings (study_id, id, participant_id, site_code, reason, report_reference, recipient_kind, recipient, requested_by_id, requested_by, requested_by_name, requested_at, signature_id, first_viewed_at, view_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        r.id,
        r.participantId,
        r.siteCode,
        r.reason,
        r.reportReference,
        r.recipientKind,
        r.recipient,
        r.requestedById,
        r.requestedBy,
        r.requestedByName,
        r.requestedAt,
        r.signatureId,
        r.firstViewedAt,
        r.viewCount,
      ],
    );
  },

  recordView: (sql: Sql, studyId: number, id: string, at: string) =>
    sql.exec(
      'UPDATE safety_unblindings SET view_count = view_count + 1, first_viewed_at = COALESCE(first_viewed_at, ?) WHERE study_id = ? AND id = ?',
      [at, studyId, id],
    ),

  async insertReport(sql: Sql, studyId: number, r: InadvertentReportRecord, participantIds: string[]): Promise<void> {
    await sql.exec(
      `INSERT INTO inadvertent_unblindings (study_id, id, occurred_on, how_it_happened, who_was_unblinded, impact_assessment, corrective_action, reported_by_id, reported_by, reported_by_name, reporter_role, reported_at, signature_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        r.id,
        r.occurredOn,
        r.howItHappened,
        r.whoWasUnblinded,
        r.impactAssessment,
        r.correctiveAction,
        r.reportedById,
        r.reportedBy,
        r.reportedByName,
        r.reporterRole,
        r.reportedAt,
        r.signatureId,
      ],
    );
    for (const participantId of participantIds) {
      await sql.exec(
        'INSERT INTO inadvertent_unblinding_patients (study_id, report_id, participant_id) VALUES (?, ?, ?)',
        [studyId, r.id, participantId],
      );
    }
  },

  findReport: (sql: Sql, studyId: number, id: string) =>
    sql.one('SELECT * FROM inadvertent_unblindings WHERE study_id = ? AND id = ?', [studyId, id], toReport),

  reports: (sql: Sql, studyId: number) =>
    sql.all(
      'SELECT * FROM inadvertent_unblindings WHERE study_id = ? ORDER BY reported_at DESC, id',
      [studyId],
      toReport,
    ),

  reportPatients: (sql: Sql, studyId: number, reportIds: string[]) =>
    reportIds.length === 0
      ? Promise.resolve([] as InadvertentPatient[])
      : sql.all(
          `SELECT ip.report_id, ip.participant_id, p.screening_number, p.site_code FROM inadvertent_unblinding_patients ip JOIN participants p ON p.id = ip.participant_id
           WHERE ip.study_id = ? AND ip.report_id IN (${placeholders(reportIds.length)}) ORDER BY p.screening_number, ip.participant_id`,
          [studyId, ...reportIds],
          (r): InadvertentPatient => ({
            reportId: asStr(r.report_id),
            participantId: asStr(r.participant_id),
            screeningNumber: asStr(r.screening_number),
            siteCode: asStr(r.site_code),
          }),
        ),

  /** Site names for the disclosure report's headings. */
  siteNames: (sql: Sql) =>
    sql.all('SELECT code, name FROM sites ORDER BY code', [], (r) => ({ code: asStr(r.code), name: asStr(r.name) })),
};
