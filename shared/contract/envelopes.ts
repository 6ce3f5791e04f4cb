/** Downtime envelopes (docs/DOWNTIME.md): the envelopes, their printed sheets and the answers of each route. */
import type { SignatureInput } from './common.js';
import type { RandomizationResult } from './participants.js';

export type EnvelopeStatus = 'reserved' | 'used' | 'voided';

/** Blinded roles: number, site, stratum, order, status, and the patient of a used one; never the arm or an unused code. */
export interface EnvelopeView {
  id: string;
  number: number;
  siteCode: string;
  stratum: string;
  ordinal: number;
  status: EnvelopeStatus;
  commitment: string;
  reservedAt: string;
  reservedBy: string;
  printCount: number;
  openedAt: string | null;
  openedBy: string | null;
  participantId: string | null;
  randomizationNumber: number | null;
  reconciledAt: string | null;
  reconciledBy: string | null;
  voidedAt: string | null;
  voidedBy: string | null;
  voidReason: string | null;
  /** Once used, the code is the patient's (as on every allocation); before, only unblinded viewers read it. */
  treatmentCode?: string;
  /** Unblinded viewers only. */
  arm?: string;
}

export type SheetCopy = 'investigator' | 'pharmacy';

export interface EnvelopeSheet {
  envelopeId: string;
  number: number;
  siteCode: string;
  siteName: string;
  stratum: string;
  /** The stratum's levels as people read them, e.g. [{factor: 'MS course', level: 'Relapsing-remitting'}]. */
  stratumLabels: Array<{ factor: string; level: string }>;
  ordinal: number;
  ofCount: number;
  treatmentCode: string;
  /** The first 16 hex digits of the commitment: binds the paper to its audit entry. */
  commitmentPrefix: string;
  /** Pharmacy copy only. */
  arm?: { code: string; label: string; products: Array<{ period: number; code: string; label: string }> };
}

/** GET /api/envelopes. */
export interface EnvelopeListView {
  schemeId: string | null;
  sites: Array<{ code: string; name: string }>;
  envelopes: EnvelopeView[];
}
/** POST /api/envelopes/reserve: the numbers reserved, and the envelopes as they now stand. */
export interface EnvelopesReservedView {
  reserved: number[];
  envelopes: EnvelopeView[];
}
/** POST /api/envelopes/void. */
export interface EnvelopesVoidedView {
  voided: number[];
  envelopes: EnvelopeView[];
}
/** POST /api/envelopes/print. */
export interface SheetsResponse {
  copy: SheetCopy;
  study: { code: string; title: string };
  printedAt: string;
  printedBy: string;
  sheets: EnvelopeSheet[];
}
/** POST /api/envelopes/reconcile: a randomization, with the envelope's number and opening. */
export type ReconcileResult = RandomizationResult & {
  viaEnvelope: number;
  envelopeOpenedAt: string;
  envelopeOpenedBy: string;
};

// ---- request bodies (the DTO classes implement these)
export interface ReserveEnvelopesInput {
  siteCode: string;
  count: number;
  strata?: string[];
  signature: SignatureInput;
}
export interface PrintEnvelopesInput {
  copy: SheetCopy;
  envelopeIds?: string[];
  siteCode?: string;
}
export interface ReconcileEnvelopeInput {
  participantId: string;
  envelopeNumber: number;
  treatmentCode: string;
  openedAt: string;
  openedBy: string;
  signature: SignatureInput;
}
export interface VoidEnvelopesInput {
  envelopeIds?: string[];
  siteCode?: string;
  reason: string;
  signature: SignatureInput;
}
