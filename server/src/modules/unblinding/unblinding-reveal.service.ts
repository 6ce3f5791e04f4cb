/**
 * The reveal: the arm of one patient, shown only to the investigator who requested it, only once
 * the request is approved (at once under break-the-glass). Every view is a write: an audit entry
 * (the arm under the redacted `unblinded` key), a register row, and — the first time — the patient
 * marked unblinded and the monitors notified. A refused attempt on an existing request is audited
 * too. Also the register: who has seen which patient's allocation, when and why.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../common/domain-error.js';
import { canActAtSite } from '../../common/require-access.js';
import { UnblindedResponse } from '../../common/unblinded-response.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { transition } from '../../database/transition.js';
import { PARTICIPANT_LIFECYCLE } from '../../../../shared/lifecycle/participant.js';
import { UNBLINDED_DETAILS_KEY } from '../audit/audit.service.js';
import { toCsv } from '../../common/csv.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { canReveal } from './unblinding-lifecycle.js';
import { revealedNotice } from './unblinding-notices.js';
import { UnblindingRepository } from './unblinding.repository.js';
import { REGISTER_COLUMNS, toRegisterView, toRevealView, type RegisterView } from './unblinding.views.js';

export type RevealView = ReturnType<typeof toRevealView>;

@Injectable()
export class UnblindingRevealService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly notifications: NotificationsService,
  ) {}

  async reveal(viewer: Viewer, id: string): Promise<UnblindedResponse<RevealView>> {
    const studyId = viewer.studyId!;
    const before = await this.db.read((sql) => UnblindingRepository.find(sql, studyId, id));
    if (!before) throw new DomainError('NOT_FOUND', 'The unblinding request was not found.');
    const outOfScope = !canActAtSite(viewer, before.siteCode);
    if (outOfScope || before.requestedById !== viewer.userId) {
      await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
        tx.audit({
          action: 'unblinding.reveal_refused',
          entityType: 'unblinding-request',
          entityId: id,
          details: {
            participantId: before.participantId,
            requestedBy: before.requestedBy,
            why: outOfScope ? 'another site' : 'not the requester',
          },
        });
      });
      if (outOfScope) throw new DomainError('NOT_FOUND', 'The unblinding request was not found.');
      throw new DomainError(
        'FORBIDDEN',
        'Only the investigator who requested this unblinding may view the allocation.',
      );
    }
    const protocol = this.study.protocol(studyId);
    const view = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const r = (await UnblindingRepository.find(tx.sql, tx.studyId, id, true))!;
      if (!canReveal(r.status)) {
        throw new DomainError(
          'INVALID_TRANSITION',
          r.status === 'denied'
            ? 'The request was denied: the allocation stays blinded.'
            : 'The request has not been approved yet.',
        );
      }
      const found = (await ParticipantsRepository.find(tx.sql, tx.studyId, r.participantId, true))!;
      const allocation = found.allocation!;
      const first = r.firstRevealedAt === null;
      await UnblindingRepository.recordReveal(tx.sql, tx.studyId, id, tx.now);
      await UnblindingRepository.insertRegister(tx.sql, tx.studyId, {
        id: randomUUID(),
        kind: 'emergency-reveal',
        participantId: r.participantId,
        requestId: id,
        userId: viewer.userId,
        username: viewer.username,
        displayName: viewer.displayName,
        role: viewer.role,
        reason: r.reason,
        seenAt: tx.now,
      });
      const viewCount = r.revealCount + 1;
      const p = found.participant;
      const audit = {
        reason: r.reason,
        details: {
          requestId: id,
          viewCount,
          firstView: first,
          policy: r.policy,
          ...(first ? { changes: { requestStatus: { old: r.status, new: 'revealed' } } } : {}),
          [UNBLINDED_DETAILS_KEY]: { armCode: allocation.armCode },
        },
      };
      // The first view of the patient's arm (by any request) moves the patient to unblinded; later views are recorded, not moves.
      if (p.status === 'unblinded')
        tx.audit({ action: 'unblinding.revealed', entityType: 'participant', entityId: p.id, ...audit });
      else
        await transition(tx, PARTICIPANT_LIFECYCLE, p, 'reveal', {
          ...audit,
          write: (to) => ParticipantsRepository.setStatus(tx.sql, tx.studyId, p.id, p.status, to, tx.now),
        });
      if (first)
        await this.notifications.notify(
          tx,
          await this.notifications.recipientsWithRole(tx.sql, tx.studyId, 'medical_monitor'),
          revealedNotice(r),
        );
      return toRevealView(r, allocation, protocol, tx.now, viewCount);
    });
    return new UnblindedResponse(viewer.userId, view);
  }

  /** The study's register for auditors, oldest first. */
  register(viewer: Viewer): Promise<RegisterView[]> {
    return this.db.read(async (sql) => (await UnblindingRepository.register(sql, viewer.studyId!)).map(toRegisterView));
  }

  async registerCsv(viewer: Viewer): Promise<string> {
    return toCsv(await this.register(viewer), REGISTER_COLUMNS);
  }
}
