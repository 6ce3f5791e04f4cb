/**
 * Entering a used envelope is a randomization through another channel (RandomizationService's
 * AllocationChannel): the same key, signature, eligibility and exactly-once checks, but the entry is
 * the envelope's — proven, not chosen. The proof, inside the write transaction:
 *   the number names an envelope of the active scheme (else ENVELOPE_UNKNOWN; another site's
 *   envelope answers the same to an investigator), the code typed from the paper is the sealed one
 *   (ENVELOPE_CODE_MISMATCH), the patient's site and stratum are the envelope's (ENVELOPE_WRONG_SITE,
 *   ENVELOPE_WRONG_STRATUM), it is neither used nor voided (ENVELOPE_ALREADY_USED, ENVELOPE_VOIDED),
 *   every earlier envelope of its site and stratum is used or voided and was opened no later
 *   (ENVELOPE_OUT_OF_ORDER), and the stored envelope still matches the commitment written to the
 *   audit trail when it was reserved (ENVELOPE_TAMPERED).
 */
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/domain-error.js';
import { isSiteScoped } from '../../../../shared/roles.js';
import type { Viewer } from '../../common/viewer.js';
import type { WriteTx } from '../../database/database.service.js';
import { commitmentOf } from '../../database/audit/audit-seal.js';
import type { AllocationRecord, ParticipantRecord } from '../participants/participant.record.js';
import type { AllocationDecision } from '../randomization/allocation-source.js';
import type { AllocationChannel } from '../randomization/randomization.service.js';
import { committedContent, type EnvelopeWithEntry } from './envelope.record.js';
import { EnvelopesRepository } from './envelopes.repository.js';
import { msg } from './messages.js';

const RECONCILE_ROUTE = 'POST /api/envelopes/reconcile';

export interface EnvelopeUse {
  envelopeNumber: number;
  treatmentCode: string;
  openedAt: string;
  openedBy: string;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a.trim().toUpperCase(), 'utf8');
  const y = Buffer.from(b.trim().toUpperCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

export class EnvelopeChannel implements AllocationChannel {
  readonly route = RECONCILE_ROUTE;
  readonly act = 'reconcileEnvelope' as const;
  private envelope: EnvelopeWithEntry | null = null;

  constructor(
    private readonly viewer: Viewer,
    private readonly use: EnvelopeUse,
    private readonly activatedAt: () => string | null,
  ) {}

  get request() {
    return { ...this.use };
  }

  async decide(tx: WriteTx, p: ParticipantRecord, schemeId: string): Promise<AllocationDecision> {
    const u = this.use;
    const found = await EnvelopesRepository.byNumber(tx.sql, tx.studyId, schemeId, u.envelopeNumber);
    const unknown = () => new DomainError('ENVELOPE_UNKNOWN', msg('error.unknown', { number: u.envelopeNumber }));
    if (!found) throw unknown();
    if (isSiteScoped(this.viewer.role) && !this.viewer.siteCodes.includes(found.siteCode)) throw unknown();
    if (!sameText(found.treatmentCode, u.treatmentCode))
      throw new DomainError('ENVELOPE_CODE_MISMATCH', msg('error.codeMismatch', { number: u.envelopeNumber }));
    if (found.siteCode !== p.siteCode)
      throw new DomainError(
        'ENVELOPE_WRONG_SITE',
        msg('error.wrongSite', { number: u.envelopeNumber, site: found.siteCode }),
      );
    if (found.stratumKey !== p.stratumKey)
      throw new DomainError('ENVELOPE_WRONG_STRATUM', msg('error.wrongStratum', { number: u.envelopeNumber }));
    if (found.status === 'used')
      throw new DomainError('ENVELOPE_ALREADY_USED', msg('error.alreadyUsed', { number: u.envelopeNumber }));
    if (found.status === 'voided')
      throw new DomainError('ENVELOPE_VOIDED', msg('error.voided', { number: u.envelopeNumber }));

    // Lock the site/stratum's envelopes (PostgreSQL): two entries of the same channel cannot interleave.
    const channel = await EnvelopesRepository.channel(
      tx.sql,
      tx.studyId,
      schemeId,
      found.siteCode,
      found.stratumKey,
      true,
    );
    const earlier = channel.filter((e) => e.ordinal < found.ordinal);
    const pending = earlier.find((e) => e.status === 'reserved');
    if (pending)
      throw new DomainError(
        'ENVELOPE_OUT_OF_ORDER',
        msg('error.outOfOrder', { number: u.envelopeNumber, earlier: pending.number }),
      );
    const later = earlier.filter((e) => e.status === 'used' && e.openedAt !== null && e.openedAt > u.openedAt);
    if (later.length)
      throw new DomainError(
        'ENVELOPE_OUT_OF_ORDER',
        msg('error.openedBefore', { number: u.envelopeNumber, earlier: later[0].number }),
      );

    const activatedAt = this.activatedAt();
    if (u.openedAt > tx.now || (activatedAt !== null && u.openedAt < activatedAt)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        msg('error.openedAtRange', { activatedAt: activatedAt ?? '', now: tx.now }),
      );
    }
    if (
      commitmentOf(found.nonce, committedContent(found)) !== found.commitment ||
      !(await this.auditedCommitmentMatches(tx, found))
    ) {
      throw new DomainError('ENVELOPE_TAMPERED', msg('error.tampered', { number: u.envelopeNumber }));
    }
    this.envelope = found;
    return {
      armCode: found.armCode,
      treatmentCode: found.treatmentCode,
      listEntryId: found.listEntryId,
      position: found.position,
      dynamicRecord: null,
    };
  }

  /** The reservation's audit entry carries the same commitment (the table alone could be rewritten). */
  private async auditedCommitmentMatches(tx: WriteTx, e: EnvelopeWithEntry): Promise<boolean> {
    const rows = await tx.sql.all<Record<string, unknown>>(
      "SELECT details FROM audit_log WHERE chain = ? AND entity_type = 'envelope' AND entity_id = ? AND action = 'envelope.reserved'",
      [tx.studyId, e.id],
    );
    return rows.some((r) => {
      try {
        const d = typeof r.details === 'string' ? JSON.parse(r.details) : r.details;
        return d?.commitment === e.commitment;
      } catch {
        return false;
      }
    });
  }

  async recorded(tx: WriteTx, allocation: AllocationRecord): Promise<Record<string, unknown>> {
    const e = this.envelope!;
    const changed = await EnvelopesRepository.markUsed(tx.sql, tx.studyId, e.id, {
      allocationId: allocation.id,
      openedAt: this.use.openedAt,
      openedBy: this.use.openedBy,
      reconciledBy: this.viewer.username,
      reconciledAt: tx.now,
    });
    // The channel lock makes this unreachable; if it happens, roll everything back rather than use an envelope twice.
    if (changed.affected !== 1)
      throw new DomainError('ENVELOPE_ALREADY_USED', msg('error.alreadyUsed', { number: e.number }));
    tx.audit({
      action: 'envelope.used',
      entityType: 'envelope',
      entityId: e.id,
      details: {
        number: e.number,
        siteCode: e.siteCode,
        stratum: e.stratumKey,
        ordinal: e.ordinal,
        participantId: allocation.participantId,
        randomizationNumber: allocation.randomizationNumber,
        openedAt: this.use.openedAt,
        openedBy: this.use.openedBy,
        commitment: e.commitment,
      },
    });
    return { viaEnvelope: e.number, envelopeOpenedAt: this.use.openedAt, envelopeOpenedBy: this.use.openedBy };
  }
}
