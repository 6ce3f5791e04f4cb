/**
 * The access review of a study: the report as the records stand (access-review.report.ts), its CSV,
 * and the signed periodic review. A review signs the exact report the reviewer read: the client sends
 * back the report's contentHash, the server rebuilds the report inside the write transaction and
 * refuses (409, nothing stored) when it changed in between — so the stored report, its hash and the
 * signature are always what the reviewer saw.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../../../shared/canonical-json.js';
import type {
  AccessReviewContent,
  AccessReviewInput,
  AccessReviewRecordDetail,
  AccessReviewRecordView,
  AccessReviewReport,
  AccessReviewSchedule,
} from '../../../../shared/contract.js';
import { Clock } from '../../common/clock.js';
import { toCsv } from '../../common/csv.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { DatabaseService } from '../../database/database.service.js';
import { SignatureService } from '../signatures/signature.service.js';
import { buildAccessReview } from './access-review.report.js';
import {
  AccessReviewsRepository,
  nextDueAt,
  studyRow,
  signedContent,
  type AccessReviewRecord,
  type StudyRow,
} from './access-review.repository.js';

const hashOf = (content: AccessReviewContent) => sha256Hex(canonicalJson(content));

@Injectable()
export class AccessReviewService {
  constructor(
    private readonly db: DatabaseService,
    private readonly signatures: SignatureService,
    private readonly clock: Clock,
  ) {}

  async report(viewer: Viewer): Promise<AccessReviewReport> {
    return this.db.read(async (sql) => {
      const study = await studyRow(sql, viewer.studyId!);
      const last = await AccessReviewsRepository.latest(sql, study.id);
      const content = await buildAccessReview(sql, study, last);
      return {
        content,
        contentHash: hashOf(content),
        generatedAt: this.clock.iso(),
        schedule: this.scheduleOf(study, last),
      };
    });
  }

  async schedule(viewer: Viewer): Promise<AccessReviewSchedule> {
    return this.db.read(async (sql) => {
      const study = await studyRow(sql, viewer.studyId!);
      return this.scheduleOf(study, await AccessReviewsRepository.latest(sql, study.id));
    });
  }

  /** One line per account (the report's first table); unknown values stay empty, and `unknown` names them. */
  async csv(viewer: Viewer): Promise<string> {
    const { content, contentHash } = await this.report(viewer);
    const rows = content.accounts.map((a) => ({
      study: content.studyCode,
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      sites: a.siteCodes.join(' '),
      state: a.state,
      identityProvider: a.identityProvider,
      secondFactor: a.secondFactor === null ? '' : a.secondFactor ? 'yes' : 'no',
      secondFactorRequired: a.secondFactorRequired ? 'yes' : 'no',
      accountCreatedAt: a.accountCreatedAt,
      createdBy: a.createdBy,
      roleSince: a.roleSince,
      roleGrantedBy: a.roleGrantedBy,
      roleApprovedBy: a.roleApprovedBy,
      lastSignInAt: a.lastSignInAt,
      pendingGrants: a.pendingGrants.map((g) => `${g.kind}:${g.role}`).join(' '),
      unknown: a.unknown.join(' '),
      reportHash: contentHash,
    }));
    return toCsv(rows, [
      'study',
      'username',
      'displayName',
      'role',
      'sites',
      'state',
      'identityProvider',
      'secondFactor',
      'secondFactorRequired',
      'accountCreatedAt',
      'createdBy',
      'roleSince',
      'roleGrantedBy',
      'roleApprovedBy',
      'lastSignInAt',
      'pendingGrants',
      'unknown',
      'reportHash',
    ]);
  }

  /** The reviewer signs the report they read; wrong password or a changed report: nothing is stored. */
  async sign(viewer: Viewer, input: AccessReviewInput): Promise<AccessReviewRecordView> {
    const conclusion = input.conclusion.trim();
    if (!conclusion)
      throw new DomainError('VALIDATION_FAILED', 'Write the conclusion of the review: findings and actions.');
    const days = input.nextReviewDays ?? this.db.config.accessReviewIntervalDays;
    const signer = await this.signatures.authenticate(viewer, input.signature, 'accessReview');
    // The instance head is held too (locked first): no account entry commits behind the review's time, so
    // the next review's changes (after this one's time) miss none (access-review.report.ts).
    const record = await this.db.withWriteTransaction(
      actorOf(viewer),
      async (tx) => {
        const study = await studyRow(tx.sql, tx.studyId);
        const last = await AccessReviewsRepository.latest(tx.sql, study.id);
        const content = await buildAccessReview(tx.sql, study, last);
        const contentHash = hashOf(content);
        if (contentHash !== input.contentHash)
          throw new DomainError(
            'CONFLICT',
            'The access report changed since you read it (an account, role or sign-in changed). Reload it, review it again and sign. Nothing was stored.',
            { contentHash },
          );
        const head = await tx.sql.one<Record<string, unknown>>('SELECT seq FROM audit_head WHERE id = ?', [tx.studyId]);
        const row = {
          id: randomUUID(),
          studyCode: study.code,
          reviewedAt: tx.now,
          reviewerId: viewer.userId,
          reviewer: viewer.username,
          conclusion,
          periodStart: last?.reviewedAt ?? null,
          nextDueAt: new Date(Date.parse(tx.now) + days * 86_400_000).toISOString(),
          auditSeq: Number(head?.seq ?? 0),
          contentHash,
          content,
        };
        const signature = await this.signatures.record(tx, signer, {
          type: 'access-review',
          id: row.id,
          content: signedContent(row),
        });
        const stored = await AccessReviewsRepository.insert(tx.sql, tx.studyId, { ...row, signatureId: signature.id });
        tx.audit({
          action: 'access-review.signed',
          entityType: 'access-review',
          entityId: row.id,
          reason: conclusion,
          details: {
            studyCode: study.code,
            contentHash,
            periodStart: row.periodStart,
            nextDueAt: row.nextDueAt,
            accounts: content.accounts.length,
            changes: content.changes.length,
            signatureId: signature.id,
            signature,
          },
        });
        return stored;
      },
      { instance: 'also' },
    );
    return this.view(record);
  }

  async list(viewer: Viewer): Promise<AccessReviewRecordView[]> {
    const records = await this.db.read(async (sql) => {
      const study = await studyRow(sql, viewer.studyId!);
      return AccessReviewsRepository.list(sql, study.id);
    });
    return Promise.all(records.map((r) => this.view(r)));
  }

  async get(viewer: Viewer, id: string): Promise<AccessReviewRecordDetail> {
    const record = await this.db.read(async (sql) => {
      const study = await studyRow(sql, viewer.studyId!);
      const r = await AccessReviewsRepository.find(sql, id, study.id);
      if (!r) throw new DomainError('NOT_FOUND', 'The access review was not found.');
      return r;
    });
    return { ...(await this.view(record)), content: record.content };
  }

  private scheduleOf(study: StudyRow, last: AccessReviewRecord | null): AccessReviewSchedule {
    const intervalDays = this.db.config.accessReviewIntervalDays;
    const due = nextDueAt(study, last, intervalDays);
    return { lastReviewAt: last?.reviewedAt ?? null, nextDueAt: due, overdue: this.clock.iso() > due, intervalDays };
  }

  /** The review with both checks made now: the stored report re-hashes to its hash, and the signature binds the row. */
  private async view(r: AccessReviewRecord): Promise<AccessReviewRecordView> {
    const manifests = await this.db.read((sql) => SignatureService.manifests(sql, [r.signatureId]));
    return {
      id: r.id,
      studyCode: r.studyCode,
      reviewedAt: r.reviewedAt,
      reviewer: r.reviewer,
      printedName: manifests.get(r.signatureId)?.printedName ?? r.reviewer,
      conclusion: r.conclusion,
      periodStart: r.periodStart,
      periodEnd: r.reviewedAt,
      nextDueAt: r.nextDueAt,
      contentHash: r.contentHash,
      signatureId: r.signatureId,
      verification: {
        reportHashMatches: hashOf(r.content) === r.contentHash,
        signatureValid: await this.signatures.verify(r.signatureId, {
          type: 'access-review',
          id: r.id,
          content: signedContent(r),
        }),
      },
    };
  }
}
