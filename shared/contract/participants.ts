/** Participants, randomization, corrections, the allocation log and the pharmacy. */
import type { EligibilityFailure } from '../protocol/index.js';
import type { ParticipantStatus, SignatureInput, SignatureManifest } from './common.js';

export type EligibilityFailureView = EligibilityFailure;

/** Participant as the API shows it; blinded roles never receive arm fields. */
export interface ParticipantView {
  id: string;
  siteCode: string;
  screeningNumber: string;
  status: ParticipantStatus;
  /** Every failed criterion with its reason (empty when eligible). */
  eligibilityFailures: EligibilityFailureView[];
  stratum: string | null;
  stratumLevels: Record<string, string> | null;
  randomizationNumber: number | null;
  treatmentCode: string | null;
  randomizedAt: string | null;
  randomizedBy: string | null;
  /** Marked by a signed correction; the allocation stands ("analyze as randomized"). */
  randomizedInError: boolean;
  /** Emergency unblinding revealed this patient's arm: the same as `status === 'unblinded'` (shared/lifecycle/participant.ts). */
  unblinded: boolean;
  createdAt: string;
  createdBy: string;
  /** Unblinded viewers only. */
  arm?: string;
  armLabel?: string;
}

/** A correction as the patient page lists it (old → new, reason, who, when). */
export interface CorrectionView {
  id: string;
  /** A screening question id, or `randomizedInError`. */
  field: string;
  oldValue: unknown;
  newValue: unknown;
  reason: string;
  createdBy: string;
  createdAt: string;
  signature: SignatureManifest | null;
}

/** Blinded viewers get period, time and signature only; product, lot and preparer are for unblinded viewers. */
export interface ParticipantDispensationView {
  period: number;
  dispensedAt: string;
  signature: SignatureManifest | null;
  product?: string;
  lotNumber?: string;
  preparedBy?: string;
  preparedByName?: string;
}

/** GET /api/participants/:id: the participant plus answers, corrections and dispensations. */
export interface ParticipantDetailView extends ParticipantView {
  /** The randomization's signature. */
  randomizationSignature: SignatureManifest | null;
  answers: Record<string, unknown>;
  corrections: CorrectionView[];
  dispensations: ParticipantDispensationView[];
}

/** POST /api/participants/:id/randomize (and its idempotent replays); `viaEnvelope…` only for a reconciled envelope. */
export interface RandomizationResult {
  participantId: string;
  randomizationNumber: number;
  treatmentCode: string;
  stratum: string | null;
  randomizedAt: string;
  signature: SignatureManifest;
  viaEnvelope?: number;
  envelopeOpenedAt?: string;
  envelopeOpenedBy?: string;
}

/** GET /api/allocation-log?format=json: one row per randomization; `arm` only for unblinded viewers. */
export interface AllocationLogEntry {
  randomizationNumber: number;
  participantId: string;
  screeningNumber: string;
  siteCode: string;
  stratum: string;
  treatmentCode: string;
  randomizedAt: string;
  randomizedBy: string;
  randomizedInError: boolean;
  /** Randomized offline with downtime envelope N (null: online), and when it was opened. */
  viaEnvelope: number | null;
  envelopeOpenedAt: string | null;
  arm?: string;
  /** The randomization's signature (21 CFR 11.50(b)): printed name, meaning, time; null if none was stored. */
  signedBy: string | null;
  signatureMeaning: string | null;
  signedAt: string | null;
}

/** GET /api/pharmacy/tasks (pharmacist: unblinded): one row per patient and period. */
export interface PharmacyTaskView {
  participantId: string;
  /** The patient's site and screening number, and the period's due window from the protocol's timing. */
  siteCode: string | null;
  screeningNumber: string | null;
  randomizedAt: string;
  timing: string | null;
  dueAt: string | null;
  dueFrom: string | null;
  dueBy: string | null;
  randomizationNumber: number;
  treatmentCode: string;
  period: number;
  periodLabel: string;
  arm: string;
  armLabel: string;
  product: string;
  productLabel: string;
  /** `to-prepare` or `dispensed`. */
  status: string;
  lotNumber: string | null;
  dispensedAt: string | null;
  preparedBy: string | null;
}

/** POST /api/pharmacy/dispensations: the signed dispensation. */
export interface DispensationView {
  id: string;
  participantId: string;
  treatmentCode: string;
  period: number;
  product: string;
  lotNumber: string;
  preparedBy: string;
  preparedByName: string;
  dispensedAt: string;
  signature: SignatureManifest;
}

// ---- request bodies (the DTO classes implement these)
/** POST /api/participants body. */
export interface RegisterParticipantInput {
  siteCode: string;
  screeningNumber: string;
  /** Answers that decide the stratum, and the screening answers, by question id. */
  factors: Record<string, unknown>;
  eligibility: Record<string, unknown>;
}
export interface RandomizeInput {
  signature: SignatureInput;
}
export interface CorrectionInput {
  field: string;
  newValue: unknown;
  reason: string;
  signature: SignatureInput;
}
export interface DispensationInput {
  participantId: string;
  period: number;
  lotNumber: string;
  signature: SignatureInput;
}
