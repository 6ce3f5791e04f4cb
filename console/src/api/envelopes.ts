/** Client of the downtime-envelope routes (server/src/modules/envelopes, docs/DOWNTIME.md). */
import type { SignatureInput } from '../../../shared/contract.js';
import { ApiError, request } from './http.js';
import { intentKey, settleIntent } from './idempotency.js';

export type EnvelopeStatus = 'reserved' | 'used' | 'voided';

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
  stratumLabels: Array<{ factor: string; level: string }>;
  ordinal: number;
  ofCount: number;
  treatmentCode: string;
  commitmentPrefix: string;
  arm?: { code: string; label: string; products: Array<{ period: number; code: string; label: string }> };
}

export interface SheetsResponse {
  copy: SheetCopy;
  study: { code: string; title: string };
  printedAt: string;
  printedBy: string;
  sheets: EnvelopeSheet[];
}

export interface ReconcileResult {
  participantId: string;
  randomizationNumber: number;
  treatmentCode: string;
  viaEnvelope: number;
  envelopeOpenedAt: string;
}

export const listEnvelopes = () => request<{ schemeId: string | null; sites: Array<{ code: string; name: string }>; envelopes: EnvelopeView[] }>('/envelopes');
export const reserveEnvelopes = (input: { siteCode: string; count: number; strata?: string[]; signature: SignatureInput }) =>
  request<{ reserved: number[]; envelopes: EnvelopeView[] }>('/envelopes/reserve', { method: 'POST', body: input });
export const printEnvelopes = (input: { copy: SheetCopy; siteCode?: string; envelopeIds?: string[] }) =>
  request<SheetsResponse>('/envelopes/print', { method: 'POST', body: input });
export const voidEnvelopes = (input: { envelopeIds?: string[]; siteCode?: string; reason: string; signature: SignatureInput }) =>
  request<{ voided: number[] }>('/envelopes/void', { method: 'POST', body: input });

const SETTLING = new Set(['ALREADY_RANDOMIZED', 'NOT_ELIGIBLE', 'IDEMPOTENCY_KEY_REUSED', 'NOT_FOUND', 'FORBIDDEN', 'STUDY_NOT_ACTIVE', 'ENVELOPE_UNKNOWN', 'ENVELOPE_CODE_MISMATCH', 'ENVELOPE_WRONG_SITE', 'ENVELOPE_WRONG_STRATUM', 'ENVELOPE_ALREADY_USED', 'ENVELOPE_VOIDED', 'ENVELOPE_OUT_OF_ORDER', 'ENVELOPE_TAMPERED', 'VALIDATION_FAILED']);

/** Entering a used envelope is a randomization: one intent key per patient, reused on every retry. */
export async function reconcileEnvelope(input: { participantId: string; envelopeNumber: number; treatmentCode: string; openedAt: string; openedBy: string; signature: SignatureInput }): Promise<ReconcileResult> {
  const intent = `envelope.${input.participantId}`;
  try {
    const result = await request<ReconcileResult>('/envelopes/reconcile', { method: 'POST', body: input, headers: { 'Idempotency-Key': intentKey(intent) } });
    settleIntent(intent);
    return result;
  } catch (e) {
    // A different envelope or time is a different request: start a new intent after any refusal.
    if (e instanceof ApiError && SETTLING.has(e.code)) settleIntent(intent);
    throw e;
  }
}
