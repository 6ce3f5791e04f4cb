/**
 * Disclosure at the end (after end-of-study unblinding): a per-site report of the treatment each patient
 * received, for the investigators (their own sites only) and the trial statisticians. Before the study is
 * `unblinded` it is 409 STUDY_NOT_UNBLINDED. Generating it is a write: one register row per patient shown and
 * an audit entry (sites and count only — the auditors who read the audit stay blinded).
 */
import type { DisclosureReport } from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isSiteScoped } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { UnblindedResponse } from '../../common/unblinded-response.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { ParticipantsRepository } from '../participants/participants.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { UnblindingRepository } from '../unblinding/unblinding.repository.js';
import { SafetyRepository } from './safety.repository.js';
import { describeAllocation } from './safety.views.js';

@Injectable()
export class DisclosureService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
  ) {}

  async report(viewer: Viewer, site?: string): Promise<UnblindedResponse<DisclosureReport>> {
    const protocol = this.study.protocol(viewer.studyId!);
    const report = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const study = await this.study.current(tx.sql, tx.studyId);
      if (study.status !== 'unblinded') {
        throw new DomainError(
          'STUDY_NOT_UNBLINDED',
          `The disclosure report exists only after the end-of-study unblinding; the study is ${study.status}.`,
        );
      }
      let siteCodes = isSiteScoped(viewer.role) ? viewer.siteCodes : null;
      if (site !== undefined) {
        // Another site's report answers 404 to an investigator, like a site that does not exist.
        if (siteCodes && !siteCodes.includes(site)) throw new DomainError('NOT_FOUND', `Site ${site} was not found.`);
        siteCodes = [site];
      }
      const names = new Map((await SafetyRepository.siteNames(tx.sql)).map((s) => [s.code, s.name]));
      const rows = (await ParticipantsRepository.list(tx.sql, tx.studyId, siteCodes)).filter(
        (r) => r.allocation !== null,
      );
      rows.sort(
        (a, b) =>
          a.participant.siteCode.localeCompare(b.participant.siteCode) ||
          a.allocation!.randomizationNumber - b.allocation!.randomizationNumber,
      );
      const sites = [...new Set([...(siteCodes ?? []), ...rows.map((r) => r.participant.siteCode)])]
        .sort()
        .map((code) => ({
          siteCode: code,
          siteName: names.get(code) ?? code,
          patients: rows
            .filter((r) => r.participant.siteCode === code)
            .map(({ participant: p, allocation: a }) => ({
              participantId: p.id,
              screeningNumber: p.screeningNumber,
              randomizationNumber: a!.randomizationNumber,
              treatmentCode: a!.treatmentCode,
              randomizedAt: a!.randomizedAt,
              randomizedInError: p.randomizedInError,
              ...describeAllocation(a!, protocol),
            })),
        }));
      for (const r of rows) {
        await UnblindingRepository.insertRegister(tx.sql, tx.studyId, {
          id: randomUUID(),
          kind: 'disclosure',
          participantId: r.participant.id,
          requestId: null,
          userId: viewer.userId,
          username: viewer.username,
          displayName: viewer.displayName,
          role: viewer.role,
          reason: 'End-of-study disclosure report',
          seenAt: tx.now,
        });
      }
      tx.audit({
        action: 'disclosure.generated',
        entityType: 'study',
        entityId: study.code,
        details: {
          sites: sites.map((s) => ({ siteCode: s.siteCode, patients: s.patients.length })),
          patients: rows.length,
        },
      });
      return {
        study: {
          code: protocol.study.code,
          title: protocol.study.title,
          design: protocol.design,
          unblindedAt: study.unblindedAt ?? null,
        },
        generatedAt: tx.now,
        generatedBy: viewer.displayName,
        sites,
      };
    });
    // Investigators stay "blinded" by role (isBlindedAt) even after unblinding: this report is their one disclosure route.
    return new UnblindedResponse(viewer.userId, report);
  }
}
