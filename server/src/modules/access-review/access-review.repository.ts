/** The signed access reviews (migration 017): one row per review, the report kept whole as signed. */
import { randomUUID } from 'node:crypto';
import type { AccessReviewContent } from '../../../../shared/contract.js';
import { DomainError } from '../../common/domain-error.js';
import { asInt, asJson, asStr, asStrOrNull, type Sql } from '../../database/sql.js';

export interface AccessReviewRecord {
  id: string;
  studyCode: string;
  reviewedAt: string;
  reviewerId: string;
  reviewer: string;
  conclusion: string;
  periodStart: string | null;
  nextDueAt: string;
  auditSeq: number;
  contentHash: string;
  content: AccessReviewContent;
  signatureId: string;
}

const toRecord = (r: Record<string, unknown>): AccessReviewRecord => ({
  id: asStr(r.id),
  studyCode: asStr(r.study_code),
  reviewedAt: asStr(r.reviewed_at),
  reviewerId: asStr(r.reviewer_id),
  reviewer: asStr(r.reviewer),
  conclusion: asStr(r.conclusion),
  periodStart: asStrOrNull(r.period_start),
  nextDueAt: asStr(r.next_due_at),
  auditSeq: Number(r.audit_seq),
  contentHash: asStr(r.content_hash),
  content: asJson<AccessReviewContent>(r.report, {} as AccessReviewContent),
  signatureId: asStr(r.signature_id),
});

export const AccessReviewsRepository = {
  /** A review of the study (undefined: of any study, for the signature check that tells "another study's" from "gone"). */
  find: (sql: Sql, id: string, studyId: number | undefined) =>
    studyId === undefined
      ? sql.one('SELECT * FROM access_reviews WHERE id = ?', [id], toRecord)
      : sql.one('SELECT * FROM access_reviews WHERE id = ? AND study_id = ?', [id, studyId], toRecord),
  /** The study's reviews, newest first. */
  list: (sql: Sql, studyId: number) =>
    sql.all(
      'SELECT * FROM access_reviews WHERE study_id = ? ORDER BY reviewed_at DESC, audit_seq DESC',
      [studyId],
      toRecord,
    ),
  latest: async (sql: Sql, studyId: number) => (await AccessReviewsRepository.list(sql, studyId))[0] ?? null,

  async insert(
    sql: Sql,
    studyId: number,
    r: Omit<AccessReviewRecord, 'id'> & { id?: string },
  ): Promise<AccessReviewRecord> {
    const id = r.id ?? randomUUID();
    await sql.exec(
      `INSERT INTO access_reviews (study_id, id, study_code, reviewed_at, reviewer_id, reviewer, conclusion, period_start, next_due_at, audit_seq, content_hash, report, signature_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        id,
        r.studyCode,
        r.reviewedAt,
        r.reviewerId,
        r.reviewer,
        r.conclusion,
        r.periodStart,
        r.nextDueAt,
        r.auditSeq,
        r.contentHash,
        JSON.stringify(r.content),
        r.signatureId,
      ],
    );
    return { ...r, id };
  },
};

/** What the reviewer's signature binds (rebuilt from the stored row for verification). */
export function signedContent(r: Omit<AccessReviewRecord, 'content' | 'reviewerId' | 'signatureId'>) {
  return {
    reviewId: r.id,
    studyCode: r.studyCode,
    contentHash: r.contentHash,
    conclusion: r.conclusion,
    periodStart: r.periodStart,
    periodEnd: r.reviewedAt,
    nextDueAt: r.nextDueAt,
    reviewer: r.reviewer,
  };
}

export interface StudyRow {
  id: number;
  code: string;
  title: string;
  createdAt: string;
}

const toStudyRow = (r: Record<string, unknown>): StudyRow => ({
  id: asInt(r.id),
  code: asStr(r.code),
  title: asStr(r.title),
  createdAt: asStr(r.created_at),
});

/** Every study of the instance. */
export const listStudies = (sql: Sql) =>
  sql.all('SELECT id, code, title, created_at FROM study ORDER BY code', [], toStudyRow);

/** The study of the route (the guard resolved it from the code, so it exists). */
export async function studyRow(sql: Sql, studyId: number): Promise<StudyRow> {
  const study = await sql.one('SELECT id, code, title, created_at FROM study WHERE id = ?', [studyId], toStudyRow);
  if (!study) throw new DomainError('NOT_FOUND', 'The study was not found.');
  return study;
}

/** When the next review is due: as the last review set it, else one interval after the study was created. */
export function nextDueAt(study: StudyRow, last: Pick<AccessReviewRecord, 'nextDueAt'> | null, intervalDays: number) {
  return last?.nextDueAt ?? new Date(Date.parse(study.createdAt) + intervalDays * 86_400_000).toISOString();
}
