/**
 * The end of the study: `active → locked` (one statistician signs; afterwards nothing that changes
 * trial data is accepted: every mutating service requires `active`), then `locked → unblinded` with
 * the signatures of two different statisticians, which releases the key: the arms in every export
 * for the statistician, the CDISC export, and the scheme's seed and salt so anyone can regenerate
 * the list and check it against the salted fingerprint published at activation.
 */
import type { ActivationSummaryView, LockSummaryView, ReleasedSchemeView } from '../../../../shared/contract.js';
import { translate } from '../../../../shared/i18n/catalogue.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hasPermission, Permission, type Role } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { requireMove, transition } from '../../database/transition.js';
import { STUDY_LIFECYCLE } from '../../../../shared/lifecycle/study.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { SignatureService } from '../signatures/signature.service.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { UnblindingRepository } from '../unblinding/unblinding.repository.js';
import { SchemesRepository } from '../protocol/schemes.repository.js';
import { activationSummary, lockSummary } from './activation-summary.js';
import type { LockStudyDto, UnblindStudyDto } from './study-lifecycle.dto.js';
import { StudyService } from './study.service.js';
import type { StudyView } from './study.views.js';

@Injectable()
export class StudyLifecycleService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: StudyService,
    private readonly protocol: ProtocolService,
    private readonly signatures: SignatureService,
    private readonly notifications: NotificationsService,
  ) {}

  activationSummary(viewer: Viewer): Promise<ActivationSummaryView> {
    return this.db.read((sql) => activationSummary(sql, viewer.studyId!));
  }

  lockSummary(viewer: Viewer): Promise<LockSummaryView> {
    const studyId = viewer.studyId!;
    return this.db.read((sql) => lockSummary(sql, studyId, this.protocol.protocol(studyId)));
  }

  /** active → locked, signed. */
  async lock(viewer: Viewer, input: LockStudyDto): Promise<StudyView> {
    const signer = await this.signatures.authenticate(viewer, input.signature, 'lock');
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const study = (await StudyRepository.findForUpdate(tx.sql, tx.studyId))!;
      requireMove(STUDY_LIFECYCLE, { id: study.code, status: study.status }, 'lock'); // refused before the signature row is written
      const signature = await this.signatures.record(tx, signer, {
        type: 'study.lock',
        id: study.code,
        content: { studyCode: study.code, listFingerprint: study.listFingerprint, lockedAt: tx.now },
      });
      const open = (await UnblindingRepository.list(tx.sql, tx.studyId, null)).filter(
        (r) => r.status === 'pending',
      ).length;
      const summary = await lockSummary(tx.sql, tx.studyId, this.protocol.protocol(tx.studyId));
      await transition(tx, STUDY_LIFECYCLE, { id: study.code, status: study.status }, 'lock', {
        write: (to) => StudyRepository.setStatus(tx.sql, tx.studyId, to, tx.now),
        reason: input.reason?.trim() || null,
        details: {
          pendingUnblindingRequests: open,
          openUnblindingRequests: summary.openUnblindingRequests.length,
          undispensedTasks: summary.undispensed.length,
          signatureId: signature.id,
          signature,
        },
      });
      // Everyone who could still try to randomize, dispense or request unblinding learns it at once.
      const recipients = await this.notifications.recipientsWithRole(
        tx.sql,
        tx.studyId,
        'investigator',
        'pharmacist',
        'medical_monitor',
        'statistician',
        'randomization_statistician',
      );
      await this.notifications.notify(tx, recipients, (locale) => {
        const title = translate(locale, 'notifications.studyLockedTitle', { study: study.code });
        return {
          kind: 'study.locked',
          title,
          body: translate(locale, 'notifications.studyLockedBody', { study: study.code, by: viewer.displayName }),
          entityType: 'study',
          entityId: study.code,
          mail: {
            subject: translate(locale, 'emails.subject', { title }),
            text: `${translate(locale, 'emails.studyLockedText', { study: study.code })}\n`,
          },
        };
      });
    });
    return this.study.view(viewer);
  }

  /**
   * locked → unblinded with two signatures in one request: the caller's, and a co-signature of a
   * second, different statistician who re-enters their own password (as when two people sign a
   * paper form together). One signature, or the same statistician twice, is refused.
   */
  async unblind(viewer: Viewer, input: UnblindStudyDto): Promise<StudyView> {
    if (!input.secondSignature?.username)
      throw new DomainError(
        'VALIDATION_FAILED',
        'End-of-study unblinding needs two signatures: add secondSignature {username, password} of a second statistician.',
      );
    if (input.secondSignature.username === viewer.username) {
      throw new DomainError(
        'FORBIDDEN',
        'End-of-study unblinding needs two different statisticians; the second signature cannot be your own.',
      );
    }
    const first = await this.signatures.authenticate(viewer, input.signature, 'unblind');
    // Unknown name, wrong role and wrong password are answered alike (see authenticateCoSigner).
    const second = await this.signatures.authenticateCoSigner(input.secondSignature, 'unblindSecond', (role) =>
      hasPermission(role as Role, Permission.UnblindStudy),
    );
    await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const study = (await StudyRepository.findForUpdate(tx.sql, tx.studyId))!;
      requireMove(STUDY_LIFECYCLE, { id: study.code, status: study.status }, 'unblind');
      const content = {
        studyCode: study.code,
        listFingerprint: study.listFingerprint,
        lockedAt: study.lockedAt,
        unblindedAt: tx.now,
      };
      const signed = [];
      for (const signer of [first, second]) {
        signed.push(await this.signatures.record(tx, signer, { type: 'study.unblinding', id: study.code, content }));
        await UnblindingRepository.insertRegister(tx.sql, tx.studyId, {
          id: randomUUID(),
          kind: 'end-of-study',
          participantId: null,
          requestId: null,
          userId: signer.userId,
          username: signer.username,
          displayName: signer.printedName,
          role: signer.role,
          reason: 'end-of-study unblinding after database lock (two signatures)',
          seenAt: tx.now,
        });
      }
      const scheme = study.activeSchemeId
        ? await SchemesRepository.findById(tx.sql, tx.studyId, study.activeSchemeId)
        : null;
      await transition(tx, STUDY_LIFECYCLE, { id: study.code, status: study.status }, 'unblind', {
        write: (to) => StudyRepository.setStatus(tx.sql, tx.studyId, to, tx.now),
        details: {
          listFingerprint: study.listFingerprint,
          seedReleased: scheme?.seed !== null && scheme?.seed !== undefined,
          saltReleased: scheme?.salt !== null && scheme?.salt !== undefined,
          seedCommitment: scheme?.seedCommitment ?? null,
          signatureIds: signed.map((s) => s.id),
          signatures: signed,
        },
      });
      // The trial statisticians receive the key; the randomization statistician learns the list is released.
      const statisticians = await this.notifications.recipientsWithRole(
        tx.sql,
        tx.studyId,
        'statistician',
        'randomization_statistician',
      );
      await this.notifications.notify(tx, statisticians, (locale) => {
        const title = translate(locale, 'notifications.studyUnblindedTitle');
        return {
          kind: 'study.unblinded',
          title,
          entityType: 'study',
          entityId: study.code,
          body: translate(locale, 'notifications.studyUnblindedBody', {
            first: first.printedName,
            second: second.printedName,
          }),
          mail: {
            subject: translate(locale, 'emails.subject', { title }),
            text: `${translate(locale, 'emails.studyUnblindedText')}\n\n${translate(locale, 'emails.signInToView')}\n`,
          },
        };
      });
    });
    return this.study.view(viewer);
  }

  /**
   * After unblinding: everything needed to regenerate the list independently — method, parameters,
   * algorithm, list length, site codes, the seed and the salt of the commitments — with the
   * fingerprint published at activation (`list verify --seed … --salt … --fingerprint …`).
   * `salt: null` marks a scheme stored before salting (legacy, unsalted commitments).
   */
  async releasedScheme(viewer: Viewer): Promise<ReleasedSchemeView> {
    const studyId = viewer.studyId!;
    return this.db.read(async (sql) => {
      const study = await this.protocol.current(sql, studyId);
      this.protocol.requireStatus(study, ['unblinded'], "release the scheme's seed");
      const record = (await SchemesRepository.findById(sql, studyId, study.activeSchemeId!))!;
      const document = (await SchemesRepository.document(sql, studyId, record.id))!;
      const siteCodes = [
        ...new Set(document.strata.map((s) => s.levels.site).filter((x): x is string => typeof x === 'string')),
      ];
      return {
        studyCode: study.code,
        schemeId: record.id,
        version: record.version,
        method: record.method,
        params: record.params,
        algorithm: record.algorithm,
        libraryVersion: record.libraryVersion,
        live: record.live,
        listLength: record.listLength,
        siteCodes: siteCodes.length ? siteCodes : await this.study.siteCodes(sql, studyId),
        seed: record.seed,
        salt: record.salt,
        seedCommitment: record.seedCommitment,
        fingerprint: record.fingerprint,
        publishedFingerprint: study.listFingerprint,
        activatedAt: study.activatedAt,
        unblindedAt: study.unblindedAt,
      };
    });
  }
}
