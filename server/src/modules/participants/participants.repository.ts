import type { ParticipantStatus } from '../../../../shared/contract.js';
import { DomainError } from '../../common/domain-error.js';
import type { Sql } from '../../database/sql.js';
import {
  toAllocationRecord,
  toParticipantRecord,
  type AllocationRecord,
  type ParticipantRecord,
} from './participant.record.js';

const ALLOCATION_COLUMNS = [
  'id',
  'participant_id',
  'scheme_id',
  'list_entry_id',
  'stratum_key',
  'randomization_number',
  'arm_code',
  'treatment_code',
  'dynamic_record',
  'covariates',
  'randomized_at',
  'randomized_by',
  'signature_id',
]
  .map((c) => `a.${c} AS a_${c}`)
  .join(', ');

const withAllocation = (r: Record<string, unknown>) => ({
  participant: toParticipantRecord(r),
  allocation: toAllocationRecord(r, 'a_'),
});

export interface ParticipantWithAllocation {
  participant: ParticipantRecord;
  allocation: AllocationRecord | null;
}

export const ParticipantsRepository = {
  /** One patient of the study (an id of another study is not found: its routes answer 404). */
  async find(sql: Sql, studyId: number, id: string, forUpdate = false): Promise<ParticipantWithAllocation | null> {
    const lock = forUpdate && sql.dialect === 'postgres' ? ' FOR UPDATE OF p' : '';
    return sql.one(
      `SELECT p.*, ${ALLOCATION_COLUMNS} FROM participants p LEFT JOIN allocations a ON a.participant_id = p.id WHERE p.study_id = ? AND p.id = ?${lock}`,
      [studyId, id],
      withAllocation,
    );
  },

  /** The study's participants, or those of the given sites (investigators), newest first. */
  list(sql: Sql, studyId: number, siteCodes: string[] | null): Promise<ParticipantWithAllocation[]> {
    const sites = siteCodes ? ` AND p.site_code IN (${siteCodes.map(() => '?').join(', ') || "''"})` : '';
    return sql.all(
      `SELECT p.*, ${ALLOCATION_COLUMNS} FROM participants p LEFT JOIN allocations a ON a.participant_id = p.id WHERE p.study_id = ?${sites} ORDER BY p.created_at DESC, p.id`,
      [studyId, ...(siteCodes ?? [])],
      withAllocation,
    );
  },

  async insert(sql: Sql, studyId: number, p: ParticipantRecord): Promise<void> {
    await sql.exec(
      `INSERT INTO participants (study_id, id, site_code, screening_number, status, answers, eligibility_failures, stratum_key, stratum_levels, randomized_in_error, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        p.id,
        p.siteCode,
        p.screeningNumber,
        p.status,
        JSON.stringify(p.answers),
        JSON.stringify(p.eligibilityFailures),
        p.stratumKey,
        p.stratumLevels ? JSON.stringify(p.stratumLevels) : null,
        p.randomizedInError,
        p.createdBy,
        p.createdAt,
        p.updatedAt,
      ],
    );
  },

  /** Answers and the randomized-in-error flag (signed corrections). The status moves only through setStatus. */
  async update(sql: Sql, studyId: number, p: ParticipantRecord): Promise<void> {
    await sql.exec(
      'UPDATE participants SET answers = ?, randomized_in_error = ?, updated_at = ? WHERE study_id = ? AND id = ?',
      [JSON.stringify(p.answers), p.randomizedInError, p.updatedAt, studyId, p.id],
    );
  },

  /** The status write of `transition()`; guarded by the old status so a stale read cannot move it twice. */
  async setStatus(
    sql: Sql,
    studyId: number,
    id: string,
    from: ParticipantStatus,
    to: ParticipantStatus,
    at: string,
  ): Promise<void> {
    const changed = await sql.exec(
      'UPDATE participants SET status = ?, updated_at = ? WHERE study_id = ? AND id = ? AND status = ?',
      [to, at, studyId, id, from],
    );
    if (changed.affected !== 1)
      throw new DomainError(
        'CONFLICT',
        `The patient's status changed meanwhile (it is no longer ${from}); reload and try again.`,
      );
  },

  /** Every allocation of the study (or of one of its schemes) in randomization order (dynamic history, pharmacy). */
  allocations: (sql: Sql, studyId: number, schemeId?: string) =>
    sql.all(
      `SELECT * FROM allocations WHERE study_id = ?${schemeId ? ' AND scheme_id = ?' : ''} ORDER BY randomization_number`,
      schemeId ? [studyId, schemeId] : [studyId],
      (r) => toAllocationRecord(r)!,
    ),

  nextRandomizationNumber: async (sql: Sql, studyId: number) =>
    (await sql.count('SELECT COALESCE(MAX(randomization_number), 0) AS n FROM allocations WHERE study_id = ?', [
      studyId,
    ])) + 1,

  async insertAllocation(sql: Sql, studyId: number, a: AllocationRecord): Promise<void> {
    await sql.exec(
      `INSERT INTO allocations (study_id, id, participant_id, scheme_id, list_entry_id, stratum_key, randomization_number, arm_code, treatment_code, dynamic_record, covariates, randomized_at, randomized_by, signature_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        a.id,
        a.participantId,
        a.schemeId,
        a.listEntryId,
        a.stratumKey,
        a.randomizationNumber,
        a.armCode,
        a.treatmentCode,
        a.dynamicRecord ? JSON.stringify(a.dynamicRecord) : null,
        JSON.stringify(a.covariates),
        a.randomizedAt,
        a.randomizedBy,
        a.signatureId,
      ],
    );
  },

  corrections: (sql: Sql, studyId: number, participantId: string) =>
    sql.all(
      'SELECT * FROM corrections WHERE study_id = ? AND participant_id = ? ORDER BY created_at',
      [studyId, participantId],
      (r) => ({
        id: String(r.id),
        field: String(r.field),
        oldValue: r.old_value === null ? null : JSON.parse(String(r.old_value)),
        newValue: r.new_value === null ? null : JSON.parse(String(r.new_value)),
        reason: String(r.reason),
        signatureId: String(r.signature_id),
        createdBy: String(r.created_by),
        createdAt: String(r.created_at),
      }),
    ),

  dispensations: (sql: Sql, studyId: number, participantId: string) =>
    sql.all(
      'SELECT * FROM dispensations WHERE study_id = ? AND participant_id = ? ORDER BY period',
      [studyId, participantId],
      (r) => ({
        id: String(r.id),
        period: Number(r.period),
        productCode: String(r.product_code),
        lotNumber: String(r.lot_number),
        preparedBy: String(r.prepared_by),
        preparedByName: String(r.prepared_by_name),
        dispensedAt: String(r.dispensed_at),
        signatureId: String(r.signature_id),
      }),
    ),
};

export type CorrectionRow = Awaited<ReturnType<typeof ParticipantsRepository.corrections>>[number];
export type DispensationRow = Awaited<ReturnType<typeof ParticipantsRepository.dispensations>>[number];
