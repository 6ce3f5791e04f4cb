/** The signed records of this module, rebuilt from storage for signature verification (see signatures/signed-records.ts). */
import { asStr, asStrOrNull } from '../../database/sql.js';
import { byIdIn, type ContentLoader } from '../signatures/signed-records.js';

export const SAFETY_SIGNED_RECORDS: Record<string, ContentLoader> = {
  'safety-unblinding.request': async (sql, id, studyId) => {
    const { where, params } = byIdIn(studyId);
    const r = await sql.one<Record<string, unknown>>(`SELECT * FROM safety_unblindings WHERE ${where}`, params(id));
    return (
      r && {
        safetyUnblindingId: asStr(r.id),
        participantId: asStr(r.participant_id),
        reason: asStr(r.reason),
        reportReference: asStrOrNull(r.report_reference),
        recipientKind: asStr(r.recipient_kind),
        recipient: asStr(r.recipient),
        requestedBy: asStr(r.requested_by),
      }
    );
  },
  'inadvertent-unblinding.report': async (sql, id, studyId) => {
    const { where, params } = byIdIn(studyId);
    const r = await sql.one<Record<string, unknown>>(
      `SELECT * FROM inadvertent_unblindings WHERE ${where}`,
      params(id),
    );
    if (!r) return null;
    // The same order as when signed: by screening number, then id.
    const patients = await sql.all<Record<string, unknown>>(
      'SELECT ip.participant_id, p.screening_number FROM inadvertent_unblinding_patients ip JOIN participants p ON p.id = ip.participant_id WHERE ip.report_id = ?',
      [id],
    );
    const participantIds = patients
      .map((p) => ({ id: asStr(p.participant_id), sn: asStr(p.screening_number) }))
      .sort((a, b) => a.sn.localeCompare(b.sn) || a.id.localeCompare(b.id))
      .map((p) => p.id);
    return {
      reportId: asStr(r.id),
      participantIds,
      occurredOn: asStr(r.occurred_on),
      howItHappened: asStr(r.how_it_happened),
      whoWasUnblinded: asStr(r.who_was_unblinded),
      impactAssessment: asStr(r.impact_assessment),
      correctiveAction: asStr(r.corrective_action),
      reportedBy: asStr(r.reported_by),
    };
  },
};
