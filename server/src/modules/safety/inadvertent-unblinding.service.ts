/**
 * Reports of inadvertent unblinding (ICH E6(R3) 4.1.4): who reported, which patients, how it happened, who was
 * unblinded, the impact assessment and the corrective/preventive action; signed by the reporter, kept in the
 * unblinding register (one row per patient) and the audit trail, and listed for the medical monitors and the
 * auditors. Its free text went through the write-time neutral-text check like every body (a report must not
 * itself unblind its blinded readers): a text naming an arm or product is 400 BLINDING_RISK, nothing written.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/domain-error.js';
import { requireAccess } from '../../common/require-access.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { SignatureService } from '../signatures/signature.service.js';
import { UnblindingRepository } from '../unblinding/unblinding.repository.js';
import { inadvertentNotice } from './safety-notices.js';
import type { CreateInadvertentReportDto } from './safety.dto.js';
import { SafetyRepository, type InadvertentPatient } from './safety.repository.js';
import { toInadvertentView, type InadvertentView } from './safety.views.js';

/** A real calendar day, not after today (UTC). */
function requirePastDay(day: string, today: string): string {
  const parsed = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day)
    throw new DomainError('VALIDATION_FAILED', `occurredOn "${day}" is not a calendar day (YYYY-MM-DD).`);
  if (day > today.slice(0, 10)) throw new DomainError('VALIDATION_FAILED', `occurredOn ${day} is in the future.`);
  return day;
}

function requireText(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length < 3) throw new DomainError('VALIDATION_FAILED', `${field} must not be empty.`, { field });
  return trimmed;
}

@Injectable()
export class InadvertentUnblindingService {
  constructor(
    private readonly db: DatabaseService,
    private readonly signatures: SignatureService,
    private readonly notifications: NotificationsService,
  ) {}

  async create(viewer: Viewer, input: CreateInadvertentReportDto): Promise<InadvertentView> {
    const texts = {
      howItHappened: requireText(input.howItHappened, 'howItHappened'),
      whoWasUnblinded: requireText(input.whoWasUnblinded, 'whoWasUnblinded'),
      impactAssessment: requireText(input.impactAssessment, 'impactAssessment'),
      correctiveAction: requireText(input.correctiveAction, 'correctiveAction'),
    };
    const signer = await this.signatures.authenticate(viewer, input.signature, 'reportInadvertentUnblinding');
    const id = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const occurredOn = requirePastDay(input.occurredOn, tx.now);
      const patients: InadvertentPatient[] = [];
      for (const participantId of input.participantIds) {
        const p = requireAccess(
          viewer,
          (await ParticipantsRepository.find(tx.sql, tx.studyId, participantId))?.participant,
          'The patient',
        );
        patients.push({ reportId: '', participantId: p.id, screeningNumber: p.screeningNumber, siteCode: p.siteCode });
      }
      patients.sort(
        (a, b) => a.screeningNumber.localeCompare(b.screeningNumber) || a.participantId.localeCompare(b.participantId),
      );
      const reportId = randomUUID();
      for (const p of patients) p.reportId = reportId;
      const participantIds = patients.map((p) => p.participantId);
      const signature = await this.signatures.record(tx, signer, {
        type: 'inadvertent-unblinding.report',
        id: reportId,
        content: { reportId, participantIds, occurredOn, ...texts, reportedBy: viewer.username },
      });
      const record = {
        id: reportId,
        occurredOn,
        ...texts,
        reportedById: viewer.userId,
        reportedBy: viewer.username,
        reportedByName: signer.printedName,
        reporterRole: viewer.role,
        reportedAt: tx.now,
        signatureId: signature.id,
      };
      await SafetyRepository.insertReport(tx.sql, tx.studyId, record, participantIds);
      // The register's person is the reporter (an account); who was actually unblinded is the report's own words.
      for (const p of patients) {
        await UnblindingRepository.insertRegister(tx.sql, tx.studyId, {
          id: randomUUID(),
          kind: 'inadvertent',
          participantId: p.participantId,
          requestId: null,
          userId: viewer.userId,
          username: viewer.username,
          displayName: signer.printedName,
          role: viewer.role,
          reason: texts.whoWasUnblinded,
          seenAt: tx.now,
        });
      }
      tx.audit({
        action: 'unblinding.inadvertent_reported',
        entityType: 'inadvertent-unblinding',
        entityId: reportId,
        reason: texts.howItHappened,
        details: {
          patients: patients.map(({ reportId: _r, ...p }) => p),
          occurredOn,
          ...texts,
          signatureId: signature.id,
          signature,
        },
      });
      const readers = (
        await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor', 'auditor')
      ).filter((u) => u.id !== viewer.userId);
      await this.notifications.notify(tx, readers, inadvertentNotice(record, patients));
      return reportId;
    });
    return this.get(viewer, id);
  }

  list(viewer: Viewer): Promise<InadvertentView[]> {
    const studyId = viewer.studyId!;
    return this.db.read(async (sql) => {
      const reports = await SafetyRepository.reports(sql, studyId);
      const patients = await SafetyRepository.reportPatients(
        sql,
        studyId,
        reports.map((r) => r.id),
      );
      return reports.map((r) => toInadvertentView(r, patients));
    });
  }

  get(viewer: Viewer, id: string): Promise<InadvertentView> {
    const studyId = viewer.studyId!;
    return this.db.read(async (sql) => {
      const r = await SafetyRepository.findReport(sql, studyId, id);
      if (!r) throw new DomainError('NOT_FOUND', 'The inadvertent unblinding report was not found.');
      return toInadvertentView(r, await SafetyRepository.reportPatients(sql, studyId, [id]));
    });
  }
}
