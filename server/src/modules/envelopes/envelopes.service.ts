/**
 * Downtime envelopes (EU GMP Annex 11 §16; design in docs/DOWNTIME.md): reserve (before activation,
 * signed), list, print (audited), enter a used envelope (a randomization through EnvelopeChannel),
 * void (signed). Every change is one write transaction with its audit entries.
 */
import type {
  EnvelopeListView,
  EnvelopesReservedView,
  EnvelopesVoidedView,
  SheetsResponse,
} from '../../../../shared/contract.js';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Permission, hasPermission, isSiteScoped } from '../../../../shared/roles.js';
import { DomainError } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import type { Sql } from '../../database/sql.js';
import { commitmentOf, newNonce, UNBLINDED_DETAILS_KEY } from '../../database/audit/audit-seal.js';
import { RandomizationService } from '../randomization/randomization.service.js';
import { SignatureService } from '../signatures/signature.service.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { SchemesRepository } from '../protocol/schemes.repository.js';
import { StudyRepository } from '../protocol/study.repository.js';
import { ProtocolService } from '../protocol/protocol.service.js';
import { committedContent, reservationContent, voidContent, type EnvelopeWithEntry } from './envelope.record.js';
import { EnvelopeChannel, type EnvelopeUse } from './envelope-channel.js';
import { toEnvelopeView, toSheet, type SheetCopy } from './envelope.views.js';
import { EnvelopesRepository } from './envelopes.repository.js';
import { msg } from './messages.js';

type SignatureInput = { password: string; meaning?: string };

@Injectable()
export class EnvelopesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly study: ProtocolService,
    private readonly signatures: SignatureService,
    private readonly randomization: RandomizationService,
  ) {}

  /** The scheme envelopes belong to: the active one, or in set-up the latest draft. */
  private async schemeId(sql: Sql, studyId: number): Promise<string | null> {
    const study = await this.study.current(sql, studyId);
    if (study.activeSchemeId) return study.activeSchemeId;
    const latest = await SchemesRepository.latest(sql, studyId);
    return latest?.state === 'draft' ? latest.id : null;
  }

  /** Envelopes a viewer may see: an investigator only those of their sites. */
  private visible(viewer: Viewer, envelopes: EnvelopeWithEntry[]): EnvelopeWithEntry[] {
    return isSiteScoped(viewer.role) ? envelopes.filter((e) => viewer.siteCodes.includes(e.siteCode)) : envelopes;
  }

  async list(viewer: Viewer): Promise<EnvelopeListView> {
    const studyId = viewer.studyId!;
    return this.db.read(async (sql) => {
      const schemeId = await this.schemeId(sql, studyId);
      const envelopes = schemeId ? this.visible(viewer, await EnvelopesRepository.list(sql, studyId, schemeId)) : [];
      // The sites envelopes can be reserved for (or, for an investigator, their own): for the console's forms.
      const sites = (await SitesRepository.list(sql))
        .filter((s) => s.active && (!isSiteScoped(viewer.role) || viewer.siteCodes.includes(s.code)))
        .map((s) => ({ code: s.code, name: s.name }));
      return { schemeId, sites, envelopes: envelopes.map((e) => toEnvelopeView(e, viewer)) };
    });
  }

  /**
   * Set-up only: for each stratum of the site (or those named), the last `count` entries of the
   * stratum's list not yet owned by an envelope become envelopes 1..count of that site and stratum.
   */
  async reserve(
    viewer: Viewer,
    input: { siteCode: string; count: number; strata?: string[] },
    signature: SignatureInput,
  ): Promise<EnvelopesReservedView> {
    const signer = await this.signatures.authenticate(viewer, signature, 'reserveEnvelopes');
    const numbers = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      // The study row lock (PostgreSQL) serializes reservations and activation: numbers and tails never race.
      const study = (await StudyRepository.findForUpdate(tx.sql, tx.studyId))!;
      if (study.status !== 'setup')
        throw new DomainError('STUDY_NOT_IN_SETUP', msg('error.notInSetup', { status: study.status }));
      const scheme = await SchemesRepository.latest(tx.sql, tx.studyId);
      if (!scheme || scheme.state !== 'draft') throw new DomainError('SCHEME_MISSING', msg('error.noScheme'));
      if (scheme.live) throw new DomainError('ENVELOPES_NOT_AVAILABLE', msg('error.liveScheme'));
      if (!(await SitesRepository.find(tx.sql, input.siteCode)))
        throw new DomainError('VALIDATION_FAILED', msg('error.unknownSite', { site: input.siteCode }));
      const document = (await SchemesRepository.document(tx.sql, tx.studyId, scheme.id))!;
      const ofSite = document.strata
        .filter((s) => s.levels.site === undefined || s.levels.site === input.siteCode)
        .map((s) => s.key);
      const strata = input.strata?.length ? input.strata : ofSite;
      for (const key of strata)
        if (!ofSite.includes(key))
          throw new DomainError(
            'VALIDATION_FAILED',
            msg('error.unknownStratum', { stratum: key, site: input.siteCode }),
          );
      const entries = await SchemesRepository.entries(tx.sql, tx.studyId, scheme.id);
      const existing = await EnvelopesRepository.list(tx.sql, tx.studyId, scheme.id);
      let number = await EnvelopesRepository.nextNumber(tx.sql, tx.studyId, scheme.id);
      const made: number[] = [];
      for (const stratum of strata) {
        if (existing.some((e) => e.siteCode === input.siteCode && e.stratumKey === stratum)) {
          throw new DomainError(
            'ENVELOPES_NOT_AVAILABLE',
            msg('error.alreadyReserved', { site: input.siteCode, stratum }),
          );
        }
        const list = entries.filter((e) => e.stratumKey === stratum);
        const owned = existing.filter((e) => e.stratumKey === stratum).map((e) => e.position);
        const end = owned.length ? Math.min(...owned) : list.length + 1;
        const start = end - input.count;
        // At least one entry stays online, so the first patient of the stratum never needs an envelope.
        if (start < 2)
          throw new DomainError(
            'ENVELOPES_NOT_AVAILABLE',
            msg('error.tooMany', { stratum, count: input.count, free: Math.max(0, end - 2) }),
          );
        for (let k = 1; k <= input.count; k++) {
          const entry = list.find((e) => e.position === start + k - 1)!;
          const nonce = newNonce();
          const envelope = {
            id: randomUUID(),
            schemeId: scheme.id,
            number: number++,
            siteCode: input.siteCode,
            stratumKey: stratum,
            ordinal: k,
            listEntryId: entry.id,
            position: entry.position,
            treatmentCode: entry.treatmentCode,
            armCode: entry.armCode,
          };
          const commitment = commitmentOf(nonce, committedContent(envelope));
          const signed = await this.signatures.record(tx, signer, {
            type: 'envelope.reservation',
            id: envelope.id,
            content: reservationContent({ ...envelope, commitment }),
          });
          await EnvelopesRepository.insert(tx.sql, tx.studyId, {
            ...envelope,
            commitment,
            nonce,
            status: 'reserved',
            reservedBy: viewer.username,
            reservedAt: tx.now,
            reserveSignatureId: signed.id,
            printCount: 0,
            allocationId: null,
            openedAt: null,
            openedBy: null,
            reconciledBy: null,
            reconciledAt: null,
            voidedBy: null,
            voidedAt: null,
            voidReason: null,
            voidSignatureId: null,
          });
          tx.audit({
            action: 'envelope.reserved',
            entityType: 'envelope',
            entityId: envelope.id,
            details: {
              number: envelope.number,
              siteCode: envelope.siteCode,
              stratum,
              ordinal: k,
              of: input.count,
              schemeVersion: scheme.version,
              commitment,
              signatureId: signed.id,
              signature: { printedName: signed.printedName, meaning: signed.meaning, signedAt: signed.signedAt },
              // Sealed (audit_sealed): the entry, code and arm, and the nonce that opens the commitment.
              [UNBLINDED_DETAILS_KEY]: {
                listEntryId: entry.id,
                position: entry.position,
                treatmentCode: entry.treatmentCode,
                armCode: entry.armCode,
                nonce,
              },
            },
          });
          made.push(envelope.number);
        }
      }
      return made;
    });
    const all = await this.list(viewer);
    return { reserved: numbers, envelopes: all.envelopes.filter((e) => numbers.includes(e.number)) };
  }

  /**
   * Printable sheets of unused envelopes (one per envelope). The investigator copy has the code under
   * the seal and no arm; the pharmacy copy adds the arm (unblinded roles only). Each print is audited.
   */
  async print(
    viewer: Viewer,
    input: { copy: SheetCopy; envelopeIds?: string[]; siteCode?: string },
  ): Promise<SheetsResponse> {
    const mayArm = hasPermission(viewer.role, Permission.ViewArms);
    if (input.copy === 'pharmacy' ? !mayArm : !(mayArm || hasPermission(viewer.role, Permission.Randomize))) {
      throw new DomainError('FORBIDDEN', msg('error.printForbidden'));
    }
    const protocol = this.study.protocol(viewer.studyId!);
    return this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const schemeId = await this.schemeId(tx.sql, tx.studyId);
      const all = schemeId ? this.visible(viewer, await EnvelopesRepository.list(tx.sql, tx.studyId, schemeId)) : [];
      let chosen: EnvelopeWithEntry[];
      if (input.envelopeIds?.length) {
        chosen = input.envelopeIds.map((id) => {
          const e = all.find((x) => x.id === id);
          if (!e) throw new DomainError('NOT_FOUND', msg('error.notFound'));
          if (e.status !== 'reserved')
            throw new DomainError(
              e.status === 'used' ? 'ENVELOPE_ALREADY_USED' : 'ENVELOPE_VOIDED',
              msg(e.status === 'used' ? 'error.alreadyUsed' : 'error.voided', { number: e.number }),
            );
          return e;
        });
      } else {
        chosen = all.filter((e) => e.status === 'reserved' && (!input.siteCode || e.siteCode === input.siteCode));
      }
      if (!chosen.length) throw new DomainError('NOT_FOUND', msg('error.nothingToPrint'));
      chosen.sort((a, b) => a.number - b.number);
      const sites = new Map((await SitesRepository.list(tx.sql)).map((s) => [s.code, s.name]));
      const ofCount = (e: EnvelopeWithEntry) =>
        all.filter((x) => x.siteCode === e.siteCode && x.stratumKey === e.stratumKey).length;
      await EnvelopesRepository.countPrint(
        tx.sql,
        tx.studyId,
        chosen.map((e) => e.id),
      );
      tx.audit({
        action: 'envelope.printed',
        entityType: 'envelope',
        entityId: chosen.length === 1 ? chosen[0].id : null,
        details: { copy: input.copy, numbers: chosen.map((e) => e.number), count: chosen.length },
      });
      const study = await this.study.current(tx.sql, tx.studyId);
      return {
        copy: input.copy,
        study: { code: study.code, title: study.title },
        printedAt: tx.now,
        printedBy: viewer.displayName,
        sheets: chosen.map((e) => toSheet(protocol, e, ofCount(e), sites.get(e.siteCode) ?? e.siteCode, input.copy)),
      };
    });
  }

  /** A used envelope entered when the system is back: the randomization write path, through the envelope. */
  async reconcile(
    viewer: Viewer,
    participantId: string,
    use: EnvelopeUse,
    key: string | undefined,
    signature: SignatureInput,
  ) {
    let activatedAt: string | null = null;
    await this.db.read(async (sql) => {
      activatedAt = (await this.study.current(sql, viewer.studyId!)).activatedAt;
    });
    return this.randomization.randomize(
      viewer,
      participantId,
      key,
      signature,
      new EnvelopeChannel(viewer, use, () => activatedAt),
    );
  }

  /** Voids unused envelopes (named ones, or all remaining of a site): signed, audited, never used afterwards. */
  async void(
    viewer: Viewer,
    input: { envelopeIds?: string[]; siteCode?: string; reason: string },
    signature: SignatureInput,
  ): Promise<EnvelopesVoidedView> {
    if (!hasPermission(viewer.role, Permission.DesignScheme) && !hasPermission(viewer.role, Permission.Randomize))
      throw new DomainError('FORBIDDEN', msg('error.voidForbidden'));
    if (!input.envelopeIds?.length && !input.siteCode)
      throw new DomainError('VALIDATION_FAILED', msg('error.voidWhich'));
    const signer = await this.signatures.authenticate(viewer, signature, 'voidEnvelopes');
    const voided = await this.db.withWriteTransaction(actorOf(viewer), async (tx) => {
      const schemeId = await this.schemeId(tx.sql, tx.studyId);
      const all = schemeId ? this.visible(viewer, await EnvelopesRepository.list(tx.sql, tx.studyId, schemeId)) : [];
      let chosen: EnvelopeWithEntry[];
      if (input.envelopeIds?.length) {
        chosen = input.envelopeIds.map((id) => {
          const e = all.find((x) => x.id === id);
          if (!e) throw new DomainError('NOT_FOUND', msg('error.notFound'));
          if (e.status !== 'reserved')
            throw new DomainError(
              e.status === 'used' ? 'ENVELOPE_ALREADY_USED' : 'ENVELOPE_VOIDED',
              msg(e.status === 'used' ? 'error.alreadyUsed' : 'error.voided', { number: e.number }),
            );
          return e;
        });
      } else {
        if (isSiteScoped(viewer.role) && !viewer.siteCodes.includes(input.siteCode!))
          throw new DomainError('NOT_FOUND', msg('error.notFound'));
        chosen = all.filter((e) => e.status === 'reserved' && e.siteCode === input.siteCode);
        if (!chosen.length) throw new DomainError('NOT_FOUND', msg('error.nothingToVoid', { site: input.siteCode! }));
      }
      for (const e of chosen) {
        const signed = await this.signatures.record(tx, signer, {
          type: 'envelope.void',
          id: e.id,
          content: voidContent({ id: e.id, number: e.number, reason: input.reason, voidedBy: viewer.username }),
        });
        const changed = await EnvelopesRepository.markVoided(tx.sql, tx.studyId, e.id, {
          voidedBy: viewer.username,
          voidedAt: tx.now,
          reason: input.reason,
          signatureId: signed.id,
        });
        // Entered or voided by someone else meanwhile: nothing of this request is kept.
        if (changed.affected !== 1) throw new DomainError('CONFLICT', msg('error.voided', { number: e.number }));
        tx.audit({
          action: 'envelope.voided',
          entityType: 'envelope',
          entityId: e.id,
          reason: input.reason,
          details: {
            number: e.number,
            siteCode: e.siteCode,
            stratum: e.stratumKey,
            ordinal: e.ordinal,
            commitment: e.commitment,
            signatureId: signed.id,
            signature: { printedName: signed.printedName, meaning: signed.meaning, signedAt: signed.signedAt },
          },
        });
      }
      return chosen.map((e) => e.number);
    });
    const all = await this.list(viewer);
    return { voided, envelopes: all.envelopes.filter((e) => voided.includes(e.number)) };
  }
}
