/**
 * Safety unblinding for expedited reporting (ICH E6(R3) 3.15.2(d)(iii)): the arm goes only to the protocol's
 * designated recipient — the pharmacovigilance users (through an audited reveal, one patient at a time) or one
 * e-mail address (through the outbox) — while the requester and the medical monitors get one neutral
 * confirmation. The requester's path does the same work for every arm (one signed record, one register row or
 * notification, one audit entry with the arm sealed), so neither the answer nor its timing tells the arm.
 * The patient is not marked unblinded: the study team stays blinded to them.
 */
import type { SafetyRevealView } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { SafetyRecipient } from '../../../../shared/protocol/index.js';
import { isSiteScoped } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { requireAccess } from '../../common/require-access.js';
import { UnblindedResponse } from '../../common/unblinded-response.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { UNBLINDED_DETAILS_KEY } from '../audit/audit.service.js';
import { MailOutbox } from '../notifications/mail-outbox.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { SignatureService } from '../signatures/signature.service.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { UnblindingRepository } from '../unblinding/unblinding.repository.js';
import { DEFAULT_LOCALE } from '../../../../shared/i18n/catalogue.js';
import { confirmationNotice, pharmacovigilanceNotice, recipientMail } from './safety-notices.js';
import type { CreateSafetyUnblindingDto } from './safety.dto.js';
import { SafetyRepository, type RecipientKind } from './safety.repository.js';
import { toSafetyRevealView, toSafetyUnblindingView, type SafetyUnblindingView } from './safety.views.js';

const recipientOf = (r: SafetyRecipient): { kind: RecipientKind; value: string } =>
  'email' in r ? { kind: 'email', value: r.email } : { kind: 'role', value: r.role };

@Injectable()
export class SafetyUnblindingService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly signatures: SignatureService,
    private readonly notifications: NotificationsService,
    private readonly outbox: MailOutbox,
  ) {}

  /** Whether the console should offer the request, and to what kind of recipient it goes. */
  settings(viewer: Viewer): { enabled: boolean; recipientKind: RecipientKind | null } {
    const safety = this.study.protocol(viewer.studyId!).unblinding.safety;
    return { enabled: safety !== undefined, recipientKind: safety ? recipientOf(safety.recipient).kind : null };
  }

  async create(viewer: Viewer, input: CreateSafetyUnblindingDto): Promise<SafetyUnblindingView> {
    const protocol = this.study.protocol(viewer.studyId!);
    const safety = protocol.unblinding.safety;
    if (!safety)
      throw new DomainError(
        'SAFETY_UNBLINDING_UNAVAILABLE',
        'The protocol designates no safety recipient (unblinding.safety): nothing was sent.',
      );
    const recipient = recipientOf(safety.recipient);
    if (recipient.kind === 'email' && !this.outbox.enabled) {
      throw new DomainError(
        'SAFETY_UNBLINDING_UNAVAILABLE',
        'E-mail is not configured on this server (SMTP_URL), so the designated safety address cannot be reached: nothing was sent.',
      );
    }
    const reason = input.reason.trim();
    const reportReference = input.reportReference?.trim() || null;
    if (reason.length === 0) throw new DomainError('VALIDATION_FAILED', 'The reason must not be empty.');
    const signer = await this.signatures.authenticate(viewer, input.signature, 'requestSafetyUnblinding');
    const id = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      this.study.requireStatus(
        await this.study.current(tx.sql, tx.studyId),
        ['active', 'locked'],
        'request a safety unblinding',
      );
      const found = await ParticipantsRepository.find(tx.sql, tx.studyId, input.participantId, true);
      const p = requireAccess(viewer, found?.participant, 'The patient');
      const allocation = found!.allocation;
      if (!allocation)
        throw new DomainError(
          'INVALID_TRANSITION',
          `Patient ${p.screeningNumber} has not been randomized: there is no allocation to report.`,
        );
      const officers =
        recipient.kind === 'role'
          ? await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'pharmacovigilance')
          : [];
      if (recipient.kind === 'role' && officers.length === 0) {
        throw new DomainError(
          'SAFETY_UNBLINDING_UNAVAILABLE',
          'There is no active pharmacovigilance account to receive the safety unblinding: nothing was sent. Ask an administrator to create one.',
        );
      }
      const safetyId = randomUUID();
      const signature = await this.signatures.record(tx, signer, {
        type: 'safety-unblinding.request',
        id: safetyId,
        content: {
          safetyUnblindingId: safetyId,
          participantId: p.id,
          reason,
          reportReference,
          recipientKind: recipient.kind,
          recipient: recipient.value,
          requestedBy: viewer.username,
        },
      });
      await SafetyRepository.insert(tx.sql, tx.studyId, {
        id: safetyId,
        participantId: p.id,
        siteCode: p.siteCode,
        reason,
        reportReference,
        recipientKind: recipient.kind,
        recipient: recipient.value,
        requestedById: viewer.userId,
        requestedBy: viewer.username,
        requestedByName: signer.printedName,
        requestedAt: tx.now,
        signatureId: signature.id,
        firstViewedAt: null,
        viewCount: 0,
      });
      const stored = (await SafetyRepository.find(tx.sql, tx.studyId, safetyId))!;
      if (recipient.kind === 'email') {
        // Sent: the address has seen the allocation. The register names the address; the requester is the accountable user.
        await UnblindingRepository.insertRegister(tx.sql, tx.studyId, {
          id: randomUUID(),
          kind: 'safety-email',
          participantId: p.id,
          requestId: null,
          userId: viewer.userId,
          username: recipient.value.slice(0, 64),
          displayName: recipient.value.slice(0, 200),
          role: 'safety-recipient',
          reason,
          seenAt: tx.now,
        });
        await this.outbox.queue(tx, {
          notificationId: null,
          to: recipient.value,
          ...recipientMail(stored, allocation, protocol, tx.now, this.db.config.defaultLocale),
        });
      } else {
        await this.notifications.notify(tx, officers, pharmacovigilanceNotice(stored));
      }
      tx.audit({
        action: 'unblinding.safety_delivered',
        entityType: 'safety-unblinding',
        entityId: safetyId,
        reason,
        details: {
          participantId: p.id,
          screeningNumber: p.screeningNumber,
          siteCode: p.siteCode,
          recipientKind: recipient.kind,
          recipient: recipient.value,
          reportReference,
          signatureId: signature.id,
          signature,
          [UNBLINDED_DETAILS_KEY]: { armCode: allocation.armCode },
        },
      });
      const requester = await UsersRepository.findById(tx.sql, viewer.userId);
      const monitors = (await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor')).filter(
        (u) => u.id !== viewer.userId,
      );
      await this.notifications.notify(tx, [...(requester ? [requester] : []), ...monitors], confirmationNotice(stored));
      return safetyId;
    });
    return this.get(viewer, id);
  }

  /** Investigators: their sites; pharmacovigilance: those addressed to its role; monitors and auditors: all. */
  list(viewer: Viewer): Promise<SafetyUnblindingView[]> {
    return this.db.read(async (sql) => {
      const rows = await SafetyRepository.list(sql, viewer.studyId!, {
        ...(isSiteScoped(viewer.role) ? { siteCodes: viewer.siteCodes } : {}),
        ...(viewer.role === 'pharmacovigilance' ? { recipientKind: 'role' as const } : {}),
      });
      return rows.map((r) => toSafetyUnblindingView(r, viewer, DEFAULT_LOCALE));
    });
  }

  get(viewer: Viewer, id: string): Promise<SafetyUnblindingView> {
    return this.db.read(async (sql) =>
      toSafetyUnblindingView(
        this.visible(viewer, await SafetyRepository.find(sql, viewer.studyId!, id)),
        viewer,
        DEFAULT_LOCALE,
      ),
    );
  }

  private visible<T extends { siteCode: string; recipientKind: RecipientKind }>(viewer: Viewer, r: T | null): T {
    const found = requireAccess(viewer, r, 'The safety unblinding');
    if (viewer.role === 'pharmacovigilance' && found.recipientKind !== 'role')
      throw new DomainError('NOT_FOUND', 'The safety unblinding was not found.');
    return found;
  }

  /**
   * The pharmacovigilance user's view of one patient's allocation (the route's permission admits no other role).
   * Every call is a write: a register row, a view count and an audit entry with the arm sealed.
   */
  async reveal(viewer: Viewer, id: string): Promise<UnblindedResponse<SafetyRevealView>> {
    const protocol = this.study.protocol(viewer.studyId!);
    const view = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const r = this.visible(viewer, await SafetyRepository.find(tx.sql, tx.studyId, id, true));
      if (r.recipientKind !== 'role') throw new DomainError('NOT_FOUND', 'The safety unblinding was not found.');
      const allocation = (await ParticipantsRepository.find(tx.sql, tx.studyId, r.participantId))!.allocation!;
      await SafetyRepository.recordView(tx.sql, tx.studyId, id, tx.now);
      await UnblindingRepository.insertRegister(tx.sql, tx.studyId, {
        id: randomUUID(),
        kind: 'safety-reveal',
        participantId: r.participantId,
        requestId: null,
        userId: viewer.userId,
        username: viewer.username,
        displayName: viewer.displayName,
        role: viewer.role,
        reason: r.reason,
        seenAt: tx.now,
      });
      const viewCount = r.viewCount + 1;
      tx.audit({
        action: 'unblinding.safety_viewed',
        entityType: 'participant',
        entityId: r.participantId,
        reason: r.reason,
        details: {
          safetyUnblindingId: id,
          viewCount,
          firstView: r.firstViewedAt === null,
          [UNBLINDED_DETAILS_KEY]: { armCode: allocation.armCode },
        },
      });
      return toSafetyRevealView(r, allocation, protocol, tx.now, viewCount);
    });
    return new UnblindedResponse(viewer.userId, view);
  }
}
