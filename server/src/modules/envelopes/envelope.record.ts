/** One downtime envelope as stored (table envelopes, migration 011). */
import type { EnvelopeStatus } from '../../../../shared/contract.js';
import { asStr, asStrOrNull } from '../../database/sql.js';

export interface EnvelopeRecord {
  id: string;
  schemeId: string;
  number: number;
  siteCode: string;
  stratumKey: string;
  ordinal: number;
  listEntryId: string;
  /** Public: SHA-256(nonce ‖ canonical content), also in the audit trail. */
  commitment: string;
  /** SECRET: never in a blinded response (with it, the commitment would test a guess of arms). */
  nonce: string;
  status: EnvelopeStatus;
  reservedBy: string;
  reservedAt: string;
  reserveSignatureId: string;
  printCount: number;
  allocationId: string | null;
  openedAt: string | null;
  openedBy: string | null;
  reconciledBy: string | null;
  reconciledAt: string | null;
  voidedBy: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  voidSignatureId: string | null;
}

/** The envelope joined with its list entry (arm-bearing: only for unblinded use and the checks). */
export interface EnvelopeWithEntry extends EnvelopeRecord {
  position: number;
  armCode: string;
  treatmentCode: string;
  randomizationNumber: number | null;
  participantId: string | null;
}

export function toEnvelopeRecord(r: Record<string, unknown>): EnvelopeWithEntry {
  return {
    id: asStr(r.id),
    schemeId: asStr(r.scheme_id),
    number: Number(r.number),
    siteCode: asStr(r.site_code),
    stratumKey: asStr(r.stratum_key),
    ordinal: Number(r.ordinal),
    listEntryId: asStr(r.list_entry_id),
    commitment: asStr(r.commitment),
    nonce: asStr(r.nonce),
    status: asStr(r.status) as EnvelopeStatus,
    reservedBy: asStr(r.reserved_by),
    reservedAt: asStr(r.reserved_at),
    reserveSignatureId: asStr(r.reserve_signature_id),
    printCount: Number(r.print_count ?? 0),
    allocationId: asStrOrNull(r.allocation_id),
    openedAt: asStrOrNull(r.opened_at),
    openedBy: asStrOrNull(r.opened_by),
    reconciledBy: asStrOrNull(r.reconciled_by),
    reconciledAt: asStrOrNull(r.reconciled_at),
    voidedBy: asStrOrNull(r.voided_by),
    voidedAt: asStrOrNull(r.voided_at),
    voidReason: asStrOrNull(r.void_reason),
    voidSignatureId: asStrOrNull(r.void_signature_id),
    position: Number(r.position),
    armCode: asStr(r.arm_code),
    treatmentCode: asStr(r.treatment_code),
    randomizationNumber:
      r.randomization_number === null || r.randomization_number === undefined ? null : Number(r.randomization_number),
    participantId: asStrOrNull(r.participant_id),
  };
}

/** What an envelope commits to: everything printed on it and the list entry it owns. */
export function committedContent(
  e: Pick<
    EnvelopeWithEntry,
    | 'schemeId'
    | 'number'
    | 'siteCode'
    | 'stratumKey'
    | 'ordinal'
    | 'listEntryId'
    | 'position'
    | 'treatmentCode'
    | 'armCode'
  >,
) {
  return {
    schemeId: e.schemeId,
    number: e.number,
    siteCode: e.siteCode,
    stratumKey: e.stratumKey,
    ordinal: e.ordinal,
    listEntryId: e.listEntryId,
    position: e.position,
    treatmentCode: e.treatmentCode,
    armCode: e.armCode,
  };
}

/** The signed content of a reservation, rebuilt from the row for verification (signed-records.ts). */
export function reservationContent(e: {
  id: string;
  number: number;
  siteCode: string;
  stratumKey: string;
  ordinal: number;
  commitment: string;
}) {
  return {
    envelopeId: e.id,
    number: e.number,
    siteCode: e.siteCode,
    stratum: e.stratumKey,
    ordinal: e.ordinal,
    commitment: e.commitment,
  };
}

export function voidContent(e: { id: string; number: number; reason: string; voidedBy: string }) {
  return { envelopeId: e.id, number: e.number, status: 'voided', reason: e.reason, voidedBy: e.voidedBy };
}
