/** Client of the downtime-envelope routes (server/src/modules/envelopes, docs/DOWNTIME.md). */
import type {
  EnvelopeListView,
  EnvelopesReservedView,
  EnvelopesVoidedView,
  PrintEnvelopesInput,
  ReconcileEnvelopeInput,
  ReconcileResult,
  ReserveEnvelopesInput,
  SheetsResponse,
  VoidEnvelopesInput,
} from '../../../shared/contract.js';
import { ApiError, request } from './http.js';
import { intentKey, settleIntent } from './idempotency.js';

export type {
  EnvelopeStatus,
  EnvelopeView,
  ReconcileResult,
  SheetCopy,
  SheetsResponse,
} from '../../../shared/contract.js';

export const listEnvelopes = () => request<EnvelopeListView>('/envelopes');
export const reserveEnvelopes = (input: ReserveEnvelopesInput) =>
  request<EnvelopesReservedView>('/envelopes/reserve', { method: 'POST', body: input });
export const printEnvelopes = (input: PrintEnvelopesInput) =>
  request<SheetsResponse>('/envelopes/print', { method: 'POST', body: input });
export const voidEnvelopes = (input: VoidEnvelopesInput) =>
  request<EnvelopesVoidedView>('/envelopes/void', { method: 'POST', body: input });

const SETTLING = new Set([
  'ALREADY_RANDOMIZED',
  'NOT_ELIGIBLE',
  'IDEMPOTENCY_KEY_REUSED',
  'NOT_FOUND',
  'FORBIDDEN',
  'STUDY_NOT_ACTIVE',
  'ENVELOPE_UNKNOWN',
  'ENVELOPE_CODE_MISMATCH',
  'ENVELOPE_WRONG_SITE',
  'ENVELOPE_WRONG_STRATUM',
  'ENVELOPE_ALREADY_USED',
  'ENVELOPE_VOIDED',
  'ENVELOPE_OUT_OF_ORDER',
  'ENVELOPE_TAMPERED',
  'VALIDATION_FAILED',
]);

/** Entering a used envelope is a randomization: one intent key per patient, reused on every retry. */
export async function reconcileEnvelope(input: ReconcileEnvelopeInput): Promise<ReconcileResult> {
  const intent = `envelope.${input.participantId}`;
  try {
    const result = await request<ReconcileResult>('/envelopes/reconcile', {
      method: 'POST',
      body: input,
      headers: { 'Idempotency-Key': intentKey(intent) },
    });
    settleIntent(intent);
    return result;
  } catch (e) {
    // A different envelope or time is a different request: start a new intent after any refusal.
    if (e instanceof ApiError && SETTLING.has(e.code)) settleIntent(intent);
    throw e;
  }
}
