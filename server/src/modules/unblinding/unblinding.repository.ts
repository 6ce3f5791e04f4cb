/** Unblinding requests, their decisions and the register, with narrow intent-named queries. */
import type { UnblindingPolicy, UnblindingStatus } from '../../../../shared/contract.js';
import { asBool, asInt, asStr, asStrOrNull, type Sql } from '../../database/sql.js';
import type { EscalationTarget } from '../../../../shared/protocol/index.js';
import type { DecisionKind } from './unblinding-lifecycle.js';

export interface UnblindingRequestRecord {
  id: string;
  participantId: string;
  siteCode: string;
  policy: UnblindingPolicy;
  status: UnblindingStatus;
  reason: string;
  emergency: boolean;
  requestedById: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  signatureId: string;
  decidedAt: string | null;
  firstRevealedAt: string | null;
  revealCount: number;
  updatedAt: string;
  /** When nobody decided in time: when the server escalated it, and to what (see unblinding-escalation.ts). */
  escalatedAt: string | null;
  escalatedTo: EscalationTarget | null;
  /** Joined from participants/allocations for display; never the arm. */
  screeningNumber: string;
  randomizationNumber: number | null;
  treatmentCode: string | null;
}

export interface DecisionRecord {
  id: string;
  requestId: string;
  kind: DecisionKind;
  approve: boolean;
  comment: string;
  decidedById: string;
  decidedBy: string;
  decidedByName: string;
  decidedAt: string;
  signatureId: string;
}

export interface RegisterRecord {
  id: string;
  /** safety-email / safety-reveal: a safety unblinding's recipient; inadvertent: a reported unplanned unblinding; disclosure: the end-of-study per-site report. */
  kind: 'emergency-reveal' | 'end-of-study' | 'safety-email' | 'safety-reveal' | 'inadvertent' | 'disclosure';
  participantId: string | null;
  requestId: string | null;
  userId: string;
  username: string;
  displayName: string;
  role: string;
  reason: string;
  seenAt: string;
  screeningNumber: string | null;
  siteCode: string | null;
}

const toRequest = (r: Record<string, unknown>): UnblindingRequestRecord => ({
  id: asStr(r.id),
  participantId: asStr(r.participant_id),
  siteCode: asStr(r.site_code),
  policy: asStr(r.policy) as UnblindingPolicy,
  status: asStr(r.status) as UnblindingStatus,
  reason: asStr(r.reason),
  emergency: asBool(r.emergency),
  requestedById: asStr(r.requested_by_id),
  requestedBy: asStr(r.requested_by),
  requestedByName: asStr(r.requested_by_name),
  requestedAt: asStr(r.requested_at),
  signatureId: asStr(r.signature_id),
  decidedAt: asStrOrNull(r.decided_at),
  firstRevealedAt: asStrOrNull(r.first_revealed_at),
  revealCount: asInt(r.reveal_count),
  updatedAt: asStr(r.updated_at),
  escalatedAt: asStrOrNull(r.escalated_at),
  escalatedTo: asStrOrNull(r.escalated_to) as EscalationTarget | null,
  screeningNumber: asStr(r.screening_number),
  randomizationNumber:
    r.randomization_number === null || r.randomization_number === undefined ? null : asInt(r.randomization_number),
  treatmentCode: asStrOrNull(r.treatment_code),
});

const toDecision = (r: Record<string, unknown>): DecisionRecord => ({
  id: asStr(r.id),
  requestId: asStr(r.request_id),
  kind: asStr(r.kind) as DecisionKind,
  approve: asBool(r.approve),
  comment: asStr(r.comment),
  decidedById: asStr(r.decided_by_id),
  decidedBy: asStr(r.decided_by),
  decidedByName: asStr(r.decided_by_name),
  decidedAt: asStr(r.decided_at),
  signatureId: asStr(r.signature_id),
});

/** Reads a register row (with the patient's screening number and site joined). */
const toRegisterRecord = (r: Record<string, unknown>): RegisterRecord => ({
  id: asStr(r.id),
  kind: asStr(r.kind) as RegisterRecord['kind'],
  participantId: asStrOrNull(r.participant_id),
  requestId: asStrOrNull(r.request_id),
  userId: asStr(r.user_id),
  username: asStr(r.username),
  displayName: asStr(r.display_name),
  role: asStr(r.role),
  reason: asStr(r.reason),
  seenAt: asStr(r.seen_at),
  screeningNumber: asStrOrNull(r.screening_number),
  siteCode: asStrOrNull(r.site_code),
});

/** The whole register, oldest first; also read by the CLI from an offline database. */
const REGISTER_QUERY = `SELECT r.*, p.screening_number, p.site_code FROM unblinding_register r LEFT JOIN participants p ON p.id = r.participant_id
  WHERE r.study_id = ? ORDER BY r.seen_at, r.kind, r.username, r.id`;

const REQUEST_SELECT = `SELECT u.*, p.screening_number, a.randomization_number, a.treatment_code
  FROM unblinding_requests u JOIN participants p ON p.id = u.participant_id LEFT JOIN allocations a ON a.participant_id = u.participant_id`;

export const UnblindingRepository = {
  /** A request of this study (one of another study is not found: its id answers 404 under this study's path). */
  async find(sql: Sql, studyId: number, id: string, forUpdate = false): Promise<UnblindingRequestRecord | null> {
    const lock = forUpdate && sql.dialect === 'postgres' ? ' FOR UPDATE OF u' : '';
    return sql.one(`${REQUEST_SELECT} WHERE u.study_id = ? AND u.id = ?${lock}`, [studyId, id], toRequest);
  },

  /** Every request of the study, or those of the given sites (investigators), newest first. */
  list(sql: Sql, studyId: number, siteCodes: string[] | null): Promise<UnblindingRequestRecord[]> {
    const sites = siteCodes ? ` AND u.site_code IN (${siteCodes.map(() => '?').join(', ') || "''"})` : '';
    return sql.all(
      `${REQUEST_SELECT} WHERE u.study_id = ?${sites} ORDER BY u.requested_at DESC, u.id`,
      [studyId, ...(siteCodes ?? [])],
      toRequest,
    );
  },

  /** An open (pending or approved, not yet revealed) request by this user for this patient, if any. */
  findOpen: (sql: Sql, studyId: number, participantId: string, userId: string) =>
    sql.one(
      `${REQUEST_SELECT} WHERE u.study_id = ? AND u.participant_id = ? AND u.requested_by_id = ? AND u.status IN ('pending', 'approved')`,
      [studyId, participantId, userId],
      toRequest,
    ),

  /** The study's pending requests made at or before `cutoff` that were never escalated, oldest first. */
  dueForEscalation: (sql: Sql, studyId: number, cutoff: string, limit: number) =>
    sql.all(
      `${REQUEST_SELECT} WHERE u.study_id = ? AND u.status = 'pending' AND u.escalated_at IS NULL AND u.requested_at <= ? ORDER BY u.requested_at, u.id LIMIT ?`,
      [studyId, cutoff, limit],
      toRequest,
    ),

  /**
   * Marks a request escalated, only if it is still pending and not yet escalated: of several
   * instances (or a decision racing the scheduler) exactly one sees affected = 1 and goes on.
   * Escalation to break-the-glass also opens the reveal (status approved).
   */
  async markEscalated(sql: Sql, studyId: number, id: string, to: EscalationTarget, at: string): Promise<boolean> {
    const opens = to === 'break-the-glass';
    const { affected } = await sql.exec(
      `UPDATE unblinding_requests SET escalated_at = ?, escalated_to = ?, updated_at = ?${opens ? ", status = 'approved', decided_at = ?" : ''}
       WHERE study_id = ? AND id = ? AND status = 'pending' AND escalated_at IS NULL`,
      opens ? [at, to, at, at, studyId, id] : [at, to, at, studyId, id],
    );
    return affected === 1;
  },

  /** Requests about one patient (newest first), for the patient's page. */
  forParticipant: (sql: Sql, studyId: number, participantId: string) =>
    sql.all(
      `${REQUEST_SELECT} WHERE u.study_id = ? AND u.participant_id = ? ORDER BY u.requested_at DESC, u.id`,
      [studyId, participantId],
      toRequest,
    ),

  async insert(
    sql: Sql,
    studyId: number,
    r: Omit<
      UnblindingRequestRecord,
      'screeningNumber' | 'randomizationNumber' | 'treatmentCode' | 'escalatedAt' | 'escalatedTo'
    >,
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO unblinding_requests (study_id, id, participant_id, site_code, policy, status, reason, emergency, requested_by_id, requested_by, requested_by_name, requested_at, signature_id, decided_at, first_revealed_at, reveal_count, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        r.id,
        r.participantId,
        r.siteCode,
        r.policy,
        r.status,
        r.reason,
        r.emergency,
        r.requestedById,
        r.requestedBy,
        r.requestedByName,
        r.requestedAt,
        r.signatureId,
        r.decidedAt,
        r.firstRevealedAt,
        r.revealCount,
        r.updatedAt,
      ],
    );
  },

  setStatus: (sql: Sql, studyId: number, id: string, status: UnblindingStatus, at: string, decided: boolean) =>
    sql.exec(
      `UPDATE unblinding_requests SET status = ?, updated_at = ?${decided ? ', decided_at = ?' : ''} WHERE study_id = ? AND id = ?`,
      decided ? [status, at, at, studyId, id] : [status, at, studyId, id],
    ),

  /** Counts one more view of the reveal; the first view moves the request to `revealed`. */
  recordReveal: (sql: Sql, studyId: number, id: string, at: string) =>
    sql.exec(
      `UPDATE unblinding_requests SET status = 'revealed', reveal_count = reveal_count + 1, first_revealed_at = COALESCE(first_revealed_at, ?), updated_at = ? WHERE study_id = ? AND id = ?`,
      [at, at, studyId, id],
    ),

  decisions: (sql: Sql, studyId: number, requestIds: string[]) =>
    requestIds.length === 0
      ? Promise.resolve([] as DecisionRecord[])
      : sql.all(
          `SELECT * FROM unblinding_decisions WHERE study_id = ? AND request_id IN (${requestIds.map(() => '?').join(', ')}) ORDER BY decided_at, id`,
          [studyId, ...requestIds],
          toDecision,
        ),

  async insertDecision(sql: Sql, studyId: number, d: DecisionRecord): Promise<void> {
    await sql.exec(
      `INSERT INTO unblinding_decisions (study_id, id, request_id, kind, approve, comment, decided_by_id, decided_by, decided_by_name, decided_at, signature_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        d.id,
        d.requestId,
        d.kind,
        d.approve,
        d.comment,
        d.decidedById,
        d.decidedBy,
        d.decidedByName,
        d.decidedAt,
        d.signatureId,
      ],
    );
  },

  async insertRegister(
    sql: Sql,
    studyId: number,
    r: Omit<RegisterRecord, 'screeningNumber' | 'siteCode'>,
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO unblinding_register (study_id, id, kind, participant_id, request_id, user_id, username, display_name, role, reason, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        r.id,
        r.kind,
        r.participantId,
        r.requestId,
        r.userId,
        r.username,
        r.displayName,
        r.role,
        r.reason,
        r.seenAt,
      ],
    );
  },

  register: (sql: Sql, studyId: number) => sql.all(REGISTER_QUERY, [studyId], toRegisterRecord),
};
