/**
 * Emergency unblinding requests and their signed decisions, under the protocol's policy
 * (break-the-glass, monitor-approval, two-person). A request is signed by an investigator of the
 * patient's site; decisions are signed by medical monitors; nobody decides their own request, and
 * two-person approval needs two different people. Every change is one write transaction with its
 * audit entry and its notifications (inbox + e-mail outbox).
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isSiteScoped } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { requireAccess } from '../../common/require-access.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { isUniqueViolation } from '../../database/sql.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { SignatureService } from '../signatures/signature.service.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { applyDecision, canTransition, initialStatus } from './unblinding-lifecycle.js';
import { decisionNotice, requestedNotice, secondApprovalNotice } from './unblinding-notices.js';
import type { CreateUnblindingRequestDto, UnblindingDecisionDto } from './unblinding.dto.js';
import { UnblindingRepository, type DecisionRecord } from './unblinding.repository.js';
import { toUnblindingRequestView, type UnblindingRequestView } from './unblinding.views.js';

@Injectable()
export class UnblindingRequestsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly signatures: SignatureService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Free text is read by blinded people: a reason or comment that names an arm or product was already
   * refused with 400 BLINDING_RISK by the neutral-text check on the request body; here only emptiness.
   */
  private requireNeutralText(text: string, field: string): string {
    const trimmed = text.trim();
    if (trimmed.length === 0) throw new DomainError('VALIDATION_FAILED', `${field} must not be empty.`);
    return trimmed;
  }

  async create(viewer: Viewer, input: CreateUnblindingRequestDto): Promise<UnblindingRequestView> {
    const reason = this.requireNeutralText(input.reason, 'The reason');
    const policy = this.study.protocol(viewer.studyId!).unblinding.policy;
    const signer = await this.signatures.authenticate(viewer, input.signature, 'requestUnblinding');
    const id = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      this.study.requireStatus(await this.study.current(tx.sql, tx.studyId), ['active'], 'request unblinding');
      const found = await ParticipantsRepository.find(tx.sql, tx.studyId, input.participantId, true);
      const p = requireAccess(viewer, found?.participant, 'The patient');
      if (!found!.allocation)
        throw new DomainError(
          'INVALID_TRANSITION',
          `Patient ${p.screeningNumber} has not been randomized: there is no allocation to reveal.`,
        );
      const open = await UnblindingRepository.findOpen(tx.sql, tx.studyId, p.id, viewer.userId);
      if (open)
        throw new DomainError(
          'DUPLICATE',
          `You already have an open unblinding request for patient ${p.screeningNumber} (status ${open.status}).`,
        );
      const requestId = randomUUID();
      const status = initialStatus(policy);
      const signature = await this.signatures.record(tx, signer, {
        type: 'unblinding.request',
        id: requestId,
        content: {
          requestId,
          participantId: p.id,
          reason,
          emergency: input.emergency,
          policy,
          requestedBy: viewer.username,
        },
      });
      const record = {
        id: requestId,
        participantId: p.id,
        siteCode: p.siteCode,
        policy,
        status,
        reason,
        emergency: input.emergency,
        requestedById: viewer.userId,
        requestedBy: viewer.username,
        requestedByName: signer.printedName,
        requestedAt: tx.now,
        signatureId: signature.id,
        decidedAt: status === 'approved' ? tx.now : null,
        firstRevealedAt: null,
        revealCount: 0,
        updatedAt: tx.now,
      };
      await UnblindingRepository.insert(tx.sql, tx.studyId, record);
      tx.audit({
        action: 'unblinding.requested',
        entityType: 'unblinding-request',
        entityId: requestId,
        reason,
        details: {
          participantId: p.id,
          screeningNumber: p.screeningNumber,
          siteCode: p.siteCode,
          policy,
          status,
          emergency: input.emergency,
          approvedByPolicy: status === 'approved',
          signatureId: signature.id,
          signature,
        },
      });
      const stored = (await UnblindingRepository.find(tx.sql, tx.studyId, requestId))!;
      await this.notifications.notify(
        tx,
        await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor'),
        requestedNotice(stored),
      );
      return requestId;
    });
    return this.get(viewer, id);
  }

  /**
   * Investigators: requests about patients of their own sites; monitors and auditors: every request.
   * With `participantId`, only that patient's (the patient's page shows them before a new one is typed).
   */
  async list(viewer: Viewer, participantId?: string): Promise<UnblindingRequestView[]> {
    const studyId = viewer.studyId!;
    const emergency = this.study.protocol(studyId).unblinding.emergency;
    return this.db.read(async (sql) => {
      const all = participantId
        ? await UnblindingRepository.forParticipant(sql, studyId, participantId)
        : await UnblindingRepository.list(sql, studyId, isSiteScoped(viewer.role) ? viewer.siteCodes : null);
      const rows =
        participantId && isSiteScoped(viewer.role) ? all.filter((r) => viewer.siteCodes.includes(r.siteCode)) : all;
      const decisions = await UnblindingRepository.decisions(
        sql,
        studyId,
        rows.map((r) => r.id),
      );
      const signatures = await SignatureService.manifests(sql, [
        ...rows.map((r) => r.signatureId),
        ...decisions.map((d) => d.signatureId),
      ]);
      return rows.map((r) => toUnblindingRequestView(r, decisions, viewer, emergency, signatures));
    });
  }

  async get(viewer: Viewer, id: string): Promise<UnblindingRequestView> {
    const studyId = viewer.studyId!;
    const emergency = this.study.protocol(studyId).unblinding.emergency;
    return this.db.read(async (sql) => {
      const r = requireAccess(viewer, await UnblindingRepository.find(sql, studyId, id), 'The unblinding request');
      const decisions = await UnblindingRepository.decisions(sql, studyId, [id]);
      const signatures = await SignatureService.manifests(sql, [r.signatureId, ...decisions.map((d) => d.signatureId)]);
      return toUnblindingRequestView(r, decisions, viewer, emergency, signatures);
    });
  }

  /**
   * A medical monitor's signed decision: approve or deny a pending request (two-person: the second
   * approval must come from someone else), or review a break-the-glass request afterwards.
   */
  async decide(viewer: Viewer, id: string, input: UnblindingDecisionDto): Promise<UnblindingRequestView> {
    const comment = this.requireNeutralText(input.comment, 'The comment');
    const signer = await this.signatures.authenticate(
      viewer,
      input.signature,
      input.approve ? 'approveUnblinding' : 'denyUnblinding',
    );
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      this.study.requireStatus(
        await this.study.current(tx.sql, tx.studyId),
        ['active'],
        'decide an unblinding request',
      );
      const r = requireAccess(
        viewer,
        await UnblindingRepository.find(tx.sql, tx.studyId, id, true),
        'The unblinding request',
      );
      if (r.requestedById === viewer.userId)
        throw new DomainError('FORBIDDEN', 'Nobody may decide their own unblinding request.');
      const previous = await UnblindingRepository.decisions(tx.sql, tx.studyId, [id]);
      const approvalsSoFar = previous.filter((d) => d.kind === 'approval' && d.approve).length;
      // A request escalated to break-the-glass is already open to its requester: decisions are reviews.
      const outcome = applyDecision(
        r.escalatedTo === 'break-the-glass' ? 'break-the-glass' : r.policy,
        r.status,
        input.approve,
        approvalsSoFar,
      );
      if (!outcome)
        throw new DomainError('INVALID_TRANSITION', `The request is already ${r.status}; it cannot be decided again.`);
      if (previous.some((d) => d.kind === outcome.kind && d.decidedById === viewer.userId)) {
        throw new DomainError(
          'FORBIDDEN',
          outcome.kind === 'review'
            ? 'You have already reviewed this request.'
            : 'You have already decided this request; the two-person policy needs a second, different approver.',
        );
      }
      if (outcome.status !== r.status && !canTransition(r.status, outcome.status))
        throw new DomainError('INVALID_TRANSITION', `A request cannot go from ${r.status} to ${outcome.status}.`);
      const decisionId = randomUUID();
      const signature = await this.signatures.record(tx, signer, {
        type: 'unblinding.decision',
        id: decisionId,
        content: { requestId: id, kind: outcome.kind, approve: input.approve, comment, decidedBy: viewer.username },
      });
      const decision: DecisionRecord = {
        id: decisionId,
        requestId: id,
        kind: outcome.kind,
        approve: input.approve,
        comment,
        decidedById: viewer.userId,
        decidedBy: viewer.username,
        decidedByName: signer.printedName,
        decidedAt: tx.now,
        signatureId: signature.id,
      };
      try {
        await UnblindingRepository.insertDecision(tx.sql, tx.studyId, decision);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError('FORBIDDEN', 'You have already decided this request.');
        throw err;
      }
      if (outcome.status !== r.status)
        await UnblindingRepository.setStatus(tx.sql, tx.studyId, id, outcome.status, tx.now, true);
      const action =
        outcome.kind === 'review'
          ? 'unblinding.reviewed'
          : outcome.status === 'pending'
            ? 'unblinding.approval_recorded'
            : `unblinding.${outcome.status}`;
      tx.audit({
        action,
        entityType: 'unblinding-request',
        entityId: id,
        reason: comment,
        details: {
          participantId: r.participantId,
          policy: r.policy,
          decisionId,
          approve: input.approve,
          approvals: approvalsSoFar + (input.approve && outcome.kind === 'approval' ? 1 : 0),
          changes: outcome.status !== r.status ? { status: { old: r.status, new: outcome.status } } : {},
          signatureId: signature.id,
          signature,
        },
      });
      const requester = await UsersRepository.findById(tx.sql, r.requestedById);
      if (outcome.kind === 'review') {
        await this.notifications.notify(
          tx,
          requester ? [requester] : [],
          decisionNotice(r, 'reviewed', signer.printedName, comment),
        );
      } else if (outcome.status === 'pending') {
        const others = (await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor')).filter(
          (u) => u.id !== viewer.userId && u.id !== r.requestedById,
        );
        await this.notifications.notify(tx, others, secondApprovalNotice(r, signer.printedName));
      } else {
        await this.notifications.notify(
          tx,
          requester ? [requester] : [],
          decisionNotice(r, outcome.status as 'approved' | 'denied', signer.printedName, comment),
        );
      }
    });
    return this.get(viewer, id);
  }
}
