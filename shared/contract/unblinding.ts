/** Emergency unblinding requests, the reveal, the register and the emergency card. */
import type { DesignKind, EmergencyContact, EscalationTarget } from '../protocol/index.js';
import type { SignatureInput, SignatureManifest, UnblindingPolicy, UnblindingStatus } from './common.js';

/** One signed decision on an unblinding request (approval, denial or after-the-fact review). */
export interface UnblindingDecisionView {
  kind: 'approval' | 'review';
  approve: boolean;
  comment: string;
  by: string;
  byName: string;
  at: string;
  signatureId: string;
  signature: SignatureManifest | null;
}

export interface UnblindingRequestView {
  id: string;
  participantId: string;
  screeningNumber: string;
  siteCode: string;
  randomizationNumber: number | null;
  treatmentCode: string | null;
  policy: UnblindingPolicy;
  status: UnblindingStatus;
  reason: string;
  emergency: boolean;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  /** The requester's signature (21 CFR 11.50(b): printed name, meaning, time). */
  signature: SignatureManifest | null;
  approvalsRequired: number;
  approvals: number;
  /** Approvals and denials so far, each with its signature. */
  decisions: UnblindingDecisionView[];
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  reviews: UnblindingDecisionView[];
  firstRevealedAt: string | null;
  revealCount: number;
  /** Escalation (issue 15): when the server escalated an undecided request and to what; when it will if still pending. */
  escalatedAt: string | null;
  escalatedTo: EscalationTarget | null;
  escalatesAt: string | null;
  /** The caller made this request. */
  mine: boolean;
  /** True only for the requester, once the reveal is open to them. */
  canReveal: boolean;
}

export interface AllocationPeriodView {
  period: number;
  label: string;
  product: string;
  productLabel: string;
}

/**
 * The arm (the sequence, in a crossover; the product, in a parallel design) and the product of each period.
 * Only on the surfaces allowed to carry an arm: the reveal, the pharmacovigilance reveal, the disclosure.
 */
export interface AllocationDescription {
  design: DesignKind;
  arm: string;
  armLabel: string;
  sequence?: string;
  product?: string;
  productLabel?: string;
  periods: AllocationPeriodView[];
}

/** GET /api/unblinding-requests/:id/reveal: only for the requester. */
export interface RevealView extends AllocationDescription {
  requestId: string;
  participantId: string;
  screeningNumber: string;
  siteCode: string;
  randomizationNumber: number;
  treatmentCode: string;
  revealedAt: string;
  viewCount: number;
}

export type UnblindingRegisterKind =
  'emergency-reveal' | 'end-of-study' | 'safety-email' | 'safety-reveal' | 'inadvertent' | 'disclosure';

/** A row of the unblinding register: who has seen which patient's allocation, when and why (never the arm). */
export interface UnblindingRegisterEntry {
  kind: UnblindingRegisterKind;
  participantId: string | null;
  screeningNumber: string | null;
  siteCode: string | null;
  scope: string;
  requestId: string | null;
  seenBy: string;
  seenByName: string;
  role: string;
  reason: string;
  at: string;
}

/** GET /api/participants/:id/emergency-card: the patient's wallet card (never an arm). */
export interface EmergencyCardView {
  participantId: string;
  screeningNumber: string;
  siteCode: string;
  siteName: string;
  randomizationNumber: number;
  treatmentCode: string;
  studyCode: string;
  studyTitle: string;
  contacts: EmergencyContact[];
  /** PUBLIC_URL + the patient's unblinding section; drawn as the card's QR code. */
  url: string;
}

// ---- request bodies (the DTO classes implement these)
export interface UnblindingRequestInput {
  participantId: string;
  reason: string;
  emergency: boolean;
  signature: SignatureInput;
}
export interface DecisionInput {
  approve: boolean;
  comment: string;
  signature: SignatureInput;
}
