/**
 * Contract types the console needs that shared/contract.ts does not define yet. Each follows
 * ../shared/handbook/API.md; fields the API names only for unblinded viewers (`arm`, `product`,
 * `sequence`, `period` arms) are optional, and the console renders them only when the API sent them.
 * To be moved into shared/contract.ts.
 */
import type { ParticipantStatus, StudyStatus, UnblindingPolicy, UnblindingStatus, SignatureInput } from '../../../shared/contract.js';

export interface StudyArmView { code: string; label: string }
export interface StudyPeriodView { number: number; label: string; timing?: string }

/** A screening question of the protocol (the eligibility form is built from these). */
export interface StudyQuestionView {
  id: string;
  label: string;
  type: 'boolean' | 'number' | 'integer' | 'choice';
  options?: string[];
  unit?: string;
  min?: number;
  max?: number;
}

/** An eligibility criterion as the protocol states it (nested groups for "one or more of" / "all of"). */
export interface EligibilityCriterionView {
  id: string;
  text: string;
  kind?: 'inclusion' | 'exclusion';
  question?: string;
  anyOf?: EligibilityCriterionView[];
  allOf?: EligibilityCriterionView[];
  appliesWhen?: { question: string; equals?: unknown };
}

export interface StrataFactorView {
  id: string;
  label: string;
  question?: string;
  levels?: Array<{ code: string; label: string }>;
}

/** GET /api/study. `arms` is present only for unblinded viewers. */
export interface StudyView {
  code: string;
  title: string;
  design: 'parallel' | 'crossover';
  arms?: StudyArmView[];
  periods?: StudyPeriodView[];
  strataFactors?: StrataFactorView[];
  stratifiedBySite?: boolean;
  questions?: StudyQuestionView[];
  eligibility?: EligibilityCriterionView[];
  unblindingPolicy: UnblindingPolicy;
  status: StudyStatus;
  listFingerprint: string | null;
  sites?: Array<{ code: string; name: string }>;
}

export interface EligibilityFailureView { id: string; text: string; [k: string]: unknown }

/** POST /api/participants body. */
export interface RegisterParticipantInput {
  siteCode: string;
  screeningNumber: string;
  factors: Record<string, string | number | boolean>;
  eligibility: Record<string, string | number | boolean>;
}

/** Participant as the API shows it; blinded roles never receive arm fields. */
export interface ParticipantView {
  id: string;
  screeningNumber: string;
  siteCode: string;
  status: ParticipantStatus;
  eligibilityFailures?: EligibilityFailureView[];
  randomizationNumber?: string | number | null;
  treatmentCode?: string | null;
  stratum?: string | Record<string, string> | null;
  randomizedAt?: string | null;
  registeredAt?: string;
  createdAt?: string;
  arm?: string;
}

export interface RandomizationResult {
  participantId: string;
  randomizationNumber: string | number;
  treatmentCode: string;
  stratum: string | Record<string, string>;
  randomizedAt: string;
}

export interface CorrectionInput { field: string; newValue: unknown; reason: string; signature: SignatureInput }

/** GET /api/pharmacy/tasks (pharmacist: unblinded). */
export interface PharmacyTaskView {
  participantId: string;
  randomizationNumber: string | number;
  treatmentCode: string;
  period: number;
  periodLabel?: string;
  arm?: string;
  armLabel?: string;
  product?: string;
  productLabel?: string;
  /** `to-prepare` or `dispensed`. */
  status: string;
  lotNumber?: string | null;
  dispensedAt?: string | null;
  preparedBy?: string | null;
}

export interface DispensationInput { participantId: string; period: number; lotNumber: string; signature: SignatureInput }

export interface UnblindingRequestView {
  id: string;
  participantId: string;
  status: UnblindingStatus;
  reason?: string;
  emergency?: boolean;
  requestedBy?: string;
  requestedAt?: string;
  decidedBy?: string | null;
  decidedAt?: string | null;
  comment?: string | null;
  siteCode?: string;
  randomizationNumber?: string | number | null;
  treatmentCode?: string | null;
  screeningNumber?: string;
  requestedByName?: string;
  policy?: string;
  approvals?: number;
  approvalsRequired?: number;
  reviews?: Array<{ by: string; at: string; comment: string }>;
  firstRevealedAt?: string | null;
  revealCount?: number;
  /** True only for the requester, once the reveal is open to them. */
  canReveal?: boolean;
}

export interface UnblindingRequestInput { participantId: string; reason: string; emergency: boolean; signature: SignatureInput }
export interface DecisionInput { approve: boolean; comment: string; signature: SignatureInput }

/** GET /api/unblinding-requests/:id/reveal: only for the requester. */
export interface RevealView {
  participantId: string;
  arm: string;
  armLabel?: string;
  product?: string;
  productLabel?: string;
  sequence?: string;
  periods?: Array<{ period: number; label?: string; product: string; productLabel?: string }>;
  screeningNumber?: string;
  treatmentCode?: string;
  revealedAt?: string;
  viewCount?: number;
}

/** A row of the unblinding register: who has seen which patient's allocation (never the arm). */
export interface UnblindingRegisterEntry {
  participantId: string;
  seenBy?: string;
  at?: string;
  kind?: string;
  requestId?: string | null;
  [k: string]: unknown;
}

export interface AllocationLogEntry {
  randomizationNumber: string | number;
  participantId: string;
  screeningNumber?: string;
  randomizedInError?: boolean;
  siteCode: string;
  stratum: string | Record<string, string>;
  randomizedAt: string;
  randomizedBy: string;
  treatmentCode?: string;
  arm?: string;
}

/** POST /api/study/scheme body. */
export interface SchemeInput { method: string; params: Record<string, unknown>; seed?: string; listLength?: number; live?: boolean }

export interface SchemeEntryView { stratum: string; position: number; armCode?: string; arm?: string; treatmentCode: string; used?: boolean }

/** GET /api/study/scheme (statistician). */
export interface SchemeView {
  id?: string;
  version?: number;
  /** `draft` until activation, then frozen. */
  state?: string;
  createdBy?: string;
  arms?: Array<{ code: string; ratio: number }>;
  method: string;
  params: Record<string, unknown>;
  algorithm: string;
  libraryVersion?: string;
  fingerprint: string | null;
  seedCommitment?: string | null;
  live?: boolean;
  createdAt?: string;
  list?: SchemeEntryView[];
  strata?: Array<{ key: string; levels?: Record<string, string>; size?: number; entries?: Array<{ position: number; armCode: string; treatmentCode: string }> }>;
}

/** POST /api/simulations body and result (ALGORITHMS.md field names). */
export interface SimulationInput { method: string; params: Record<string, unknown>; n: number; trials: number; seed?: string }
export interface SimulationResult {
  method?: string;
  meanAbsImbalance: number;
  absImbalanceQuantiles: number[] | Record<string, number>;
  meanMaxAbsImbalance: number;
  probBalanced: number;
  correctGuessRate: number;
  forcedRate: number;
  trials: number;
  n: number;
  seconds?: number;
  /** Counts of |D_n| (index = imbalance), when the engine returns the distribution. */
  finalImbalanceHistogram?: number[] | Record<string, number>;
}

/** End-of-study unblinding: two different statisticians sign. */
export interface UnblindStudyInput {
  signature: SignatureInput;
  secondSignature: { username: string; password: string; meaning?: string };
}

export interface NotificationView {
  id: string;
  kind?: string;
  type?: string;
  title?: string;
  message?: string;
  body?: string;
  createdAt: string;
  readAt?: string | null;
  read?: boolean;
  entityType?: string;
  entityId?: string | null;
}

export interface NotificationInbox { items: NotificationView[]; unread: number }
