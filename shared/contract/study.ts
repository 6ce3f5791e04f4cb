/** The study, its scheme (allocation list), rehearsals, simulations and the lifecycle summaries. */
import type { ArmWeight, MethodParams, SchemeEntry, SimulationResult } from '../engine/index.js';
import type { AnswerTest, Condition, DesignKind, EmergencyRule, Question } from '../protocol/index.js';
import type { SignatureInput, SignatureManifest, StudyStatus, UnblindingPolicy, UnblindingStatus } from './common.js';

/** An arm as unblinded viewers read it: code, label, allocation ratio and the product of each period. */
export interface StudyArmView {
  code: string;
  label: string;
  ratio: number;
  products: string[];
}
export interface StudyProductView {
  code: string;
  label: string;
}
export interface StudyPeriodView {
  number: number;
  label: string;
  timing: string | null;
}

/** A screening question of the protocol (the eligibility form is built from these). */
export type StudyQuestionView = Question;
/**
 * An eligibility criterion as the protocol states it: a test on one answer (`question` and the AnswerTest
 * fields), or a group (`anyOf` "one or more of", `allOf` "all of"). The protocol's Criterion union, flattened
 * so that a reader can look at any field (the server's Criterion values are assignable to it).
 */
export interface EligibilityCriterionView extends AnswerTest {
  id: string;
  text: string;
  kind: 'inclusion' | 'exclusion';
  appliesWhen?: Condition;
  question?: string;
  anyOf?: EligibilityCriterionView[];
  allOf?: EligibilityCriterionView[];
}

export interface StrataFactorView {
  id: string;
  label: string;
  question: string;
  levels: Array<{ code: string; label: string }>;
}

export type SchemeState = 'draft' | 'superseded' | 'active';

/** GET /api/study. `arms` and `products` are present only for unblinded viewers, `scheme` only for them too. */
export interface StudyView {
  code: string;
  title: string;
  registryId: string | null;
  design: DesignKind;
  periods: StudyPeriodView[];
  armCount: number;
  /** The allocation ratio in protocol order, without codes (every role: what a blinded statistician simulates with). */
  armRatios: number[];
  arms?: StudyArmView[];
  products?: StudyProductView[];
  questions: StudyQuestionView[];
  eligibility: EligibilityCriterionView[];
  strataFactors: StrataFactorView[];
  stratifiedBySite: boolean;
  unblindingPolicy: UnblindingPolicy;
  /** The protocol's 24/7 emergency contacts and escalation rule, when it has one. */
  emergency: EmergencyRule | null;
  treatmentCodeFormat: { prefix: string; length: number };
  status: StudyStatus;
  listFingerprint: string | null;
  protocolSha256: string;
  activatedAt: string | null;
  lockedAt: string | null;
  unblindedAt: string | null;
  scheme: { id: string; version: number; state: SchemeState; method: string; fingerprint: string } | null;
}

/** GET /api/study/signatures: the study's signed acts, each as printed name, meaning and time (21 CFR 11.50(b)). */
export interface StudySignaturesView {
  /** The latest activation's signature (null while never activated). */
  activation: SignatureManifest | null;
  lock: SignatureManifest | null;
  /** End-of-study unblinding: the two statisticians' signatures, first signer first (empty until unblinded). */
  unblinding: SignatureManifest[];
}

/** GET /api/study/scheme for a blinded reader: the method and parameters chosen, and the state; nothing computed from the list. */
export interface SchemeDesignView {
  id: string;
  version: number;
  /** `draft` until activation, then frozen. */
  state: SchemeState;
  method: string;
  params: Record<string, unknown>;
  algorithm: string;
  libraryVersion: string;
  live: boolean;
  createdBy: string;
  createdAt: string;
}

export interface SchemeStratumView {
  key: string;
  levels: Record<string, string>;
  size: number;
  entries?: SchemeEntry[];
}

/** The scheme for the randomization statistician (unblinded); `entries` only when the list was asked for. */
export interface SchemeView extends SchemeDesignView {
  seedCommitment: string | null;
  fingerprint: string;
  arms: ArmWeight[];
  strata: SchemeStratumView[];
}

/** GET /api/study/scheme/release (after unblinding): all that regenerates the list and checks the published fingerprint. */
export interface ReleasedSchemeView {
  studyCode: string;
  schemeId: string;
  version: number;
  method: string;
  params: Record<string, unknown>;
  algorithm: string;
  libraryVersion: string;
  live: boolean;
  listLength: number | null;
  siteCodes: string[];
  seed: string | null;
  salt: string | null;
  seedCommitment: string | null;
  fingerprint: string;
  publishedFingerprint: string | null;
  activatedAt: string | null;
  unblindedAt: string | null;
}

export interface RehearsalWarning {
  code: 'LIST_EXHAUSTED';
  stratum: string;
  /** The synthetic patient (1-based) at which the stratum's list first ran out. */
  atPatient: number;
}

/** POST /api/study/rehearsal result (statistician: unblinded, so counts are by arm code). */
export interface RehearsalResult {
  schemeVersion: number;
  patients: number;
  randomized: number;
  refusedListExhausted: number;
  overall: Record<string, number>;
  strata: Array<{ key: string; randomized: number; exhaustedAt: number | null; arms: Record<string, number> }>;
  warnings: RehearsalWarning[];
  note: string;
}

/** GET /api/study/activation-summary. */
export interface ActivationSummaryView {
  schemeVersion: number | null;
  rehearsed: boolean;
  rehearsal: { patients: number; runAt: string; runBy: string } | null;
  warnings: RehearsalWarning[];
  overrideRequired: boolean;
}

/** GET /api/study/lock-summary (never an arm). */
export interface LockSummaryView {
  openUnblindingRequests: Array<{
    id: string;
    participantId: string;
    screeningNumber: string;
    siteCode: string;
    status: UnblindingStatus;
    requestedAt: string;
    requestedByName: string;
  }>;
  undispensed: Array<{
    participantId: string;
    screeningNumber: string;
    siteCode: string;
    period: number;
    periodLabel: string;
    dueBy: string | null;
  }>;
}

/**
 * POST /api/simulations: the engine's summary (ALGORITHMS.md field names). A blinded viewer simulates on
 * neutral groups G1, G2… which come under `groups`, never `arms` (a field reserved for unblinded answers).
 */
export type BlindedSimulationResult = Omit<SimulationResult, 'arms'> & { groups: ArmWeight[] };
export type SimulationResponse = SimulationResult | BlindedSimulationResult;
export type { SimulationResult, ArmWeight, MethodParams, SchemeEntry };

// ---- request bodies (the DTO classes implement these)
/** POST /api/study/scheme. `seedPhrase` is only mixed into the server's 256 random bits; it never is the seed. */
export interface SchemeInput {
  method: string;
  params?: Record<string, unknown>;
  seedPhrase?: string;
  listLength?: number;
  live?: boolean;
}
/** POST /api/study/scheme/import as JSON (the CSV itself may also be sent as text/csv). */
export interface ImportSchemeInput {
  csv: string;
}
/** POST /api/simulations (ALGORITHMS.md field names). */
export interface SimulationInput {
  method: string;
  params?: Record<string, unknown>;
  n: number;
  trials: number;
  seed?: string;
}
/** POST /api/study/rehearsal: synthetic patients randomized on an in-memory copy of the scheme. */
export interface RehearsalInput {
  patients: number;
  seed?: string;
}
export interface ActivateInput {
  signature: SignatureInput;
  overrideReason?: string;
}
export interface LockStudyInput {
  signature: SignatureInput;
  reason?: string;
}
/** End-of-study unblinding: two different statisticians sign. */
export interface UnblindStudyInput {
  signature: SignatureInput;
  secondSignature: { username: string; password: string; meaning?: string; totp?: string };
}
