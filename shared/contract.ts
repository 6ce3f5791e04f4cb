/**
 * Types of the HTTP contract (../shared/handbook/API.md), shared by the server's views and the
 * console's API client. Fields named `arm`, `sequence`, `product` (and arm codes/labels) appear only
 * in views for unblinded viewers.
 */
import type { Locale } from './i18n/catalogue.js';
import type { Role } from './roles.js';

export type StudyStatus = 'setup' | 'active' | 'locked' | 'unblinded';
export type ParticipantStatus = 'screened' | 'eligible' | 'ineligible' | 'randomized' | 'unblinded' | 'withdrawn';
export type UnblindingStatus = 'pending' | 'approved' | 'denied' | 'revealed';
export type UnblindingPolicy = 'break-the-glass' | 'monitor-approval' | 'two-person';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  siteCodes: string[];
  /** The language the console uses for this person (their choice, else their site's, else DEFAULT_LOCALE); on sign-in and /auth/me. */
  locale?: Locale;
  /** The person's own choice (null: inherited); on sign-in and /auth/me. */
  preferredLocale?: Locale | null;
}

export interface AdminUserView extends UserView {
  email: string | null;
  active: boolean;
  locked: boolean;
  failedAttempts: number;
  /** The language set for this user (null: the site's, else the instance default). */
  preferredLocale: Locale | null;
  createdAt: string;
  updatedAt: string;
  /** Changes held until a second person approves them (POST /api/role-grants/:id/decision). */
  pendingGrants?: RoleGrantView[];
  /** Only on the answer to the request that issued a set-password link (create, reset). */
  passwordLink?: PasswordLinkIssued;
}

/**
 * A set-password link this request issued. `emailed`: false when no e-mail server is configured
 * (SMTP_URL unset) — the link then reaches nobody and the operator must issue one with the CLI
 * (`user password-link --username X`). True means queued for the user's own address.
 */
export interface PasswordLinkIssued {
  emailed: boolean;
  expiresAt: string;
}

/** A held change that gives (or gives back) a sensitive role; see docs/BLINDING.md for who approves. */
export interface RoleGrantView {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  /** create, role, reactivate, password-reset, email */
  kind: string;
  role: Role;
  /** Where the set-password link will go (the approver checks it belongs to the person). */
  email: string | null;
  status: 'pending' | 'approved' | 'rejected';
  reason: string | null;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  /** Only on the approval that issued a set-password link (new account, password reset). */
  passwordLink?: PasswordLinkIssued;
}

export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
  user: UserView;
}

export interface SiteView {
  code: string;
  name: string;
  active: boolean;
  /** The language of the site's staff unless they choose another (null: the instance default). */
  locale: Locale | null;
}

export interface SignatureInput {
  password: string;
  meaning?: string;
}

/** What is shown beside every signed record (21 CFR 11.50(b)): the signer's printed name, the meaning, the UTC time. */
export interface SignatureManifest {
  printedName: string;
  meaning: string;
  signedAt: string;
}

/** How a signature is shown (21 CFR 11.50): printed name, UTC time, meaning. */
export interface SignatureView {
  id: string;
  signerUsername: string;
  printedName: string;
  meaning: string;
  signedAt: string;
  recordType: string;
  recordId: string;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  entityType: string;
  entityId: string | null;
  reason: string | null;
  details: unknown;
  /** `withheld` for blinded readers on legacy entries whose old hash would test a guess of arms (see audit-seal.ts). */
  prevHash: string;
  hash: string;
  /**
   * Unblinded readers only: the nonce and commitment of the sealed `details.unblinded`. The chain hashes
   * `details.unblinded = {commitment}`; commitment = SHA-256(nonce bytes ‖ canonical JSON of the sealed value).
   */
  seal?: { commitment: string; nonce: string };
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** The `after` cursor of the next page, or null at the end. */
  next: number | null;
}

export interface CheckpointView {
  size: number;
  headHash: string;
  at: string;
  signature: string;
  publicKey: string;
}

export interface VerifyResult {
  valid: boolean;
  count: number;
  headHash: string;
  firstInvalidSeq: number | null;
  /** The newest signed checkpoint checked, and whether the chain still agrees with it. */
  checkpoint: { size: number; headHash: string; at: string; signatureValid: boolean; matches: boolean } | null;
  problems: string[];
  /** Things that do not break the chain but need an operator (a torn line in the checkpoint file, with file and line). */
  warnings?: string[];
}

export interface HealthView {
  status: 'ok' | 'degraded';
  /** Reads answer. */
  db: 'ok' | 'down';
  /** Writes commit: `busy` = waiting for another process's lock (still healthy); `full` / `unavailable` = writes fail. */
  writer: 'ok' | 'busy' | 'full' | 'unavailable';
}

// ---- console-facing views (moved from console/src/api/types.ts). Fields the API names only for
// unblinded viewers (`arm`, `product`, `sequence`, period arms) are optional; the console renders
// them only when the API sent them.

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
/** GET /api/study/signatures: the study's signed acts, each as printed name, meaning and time (21 CFR 11.50(b)). */
export interface StudySignaturesView {
  /** The latest activation's signature (null while never activated). */
  activation: SignatureManifest | null;
  lock: SignatureManifest | null;
  /** End-of-study unblinding: the two statisticians' signatures, first signer first (empty until unblinded). */
  unblinding: SignatureManifest[];
}

export interface StudyView {
  code: string;
  title: string;
  design: 'parallel' | 'crossover';
  arms?: StudyArmView[];
  /** The allocation ratio in protocol order, without codes (every role: what a blinded statistician simulates with). */
  armRatios?: number[];
  periods?: StudyPeriodView[];
  strataFactors?: StrataFactorView[];
  stratifiedBySite?: boolean;
  questions?: StudyQuestionView[];
  eligibility?: EligibilityCriterionView[];
  unblindingPolicy: UnblindingPolicy;
  /** The protocol's 24/7 emergency contacts and escalation rule, when it has one. */
  emergency?: { contacts: Array<{ name: string; role: string; phone: string }>; escalateAfterMinutes: number; escalateTo: 'backup-monitor' | 'break-the-glass'; backupMonitors: string[] } | null;
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
  randomizedBy?: string | null;
  /** The randomization's signature (detail view only). */
  randomizationSignature?: SignatureManifest | null;
  /** Marked by a signed correction; the allocation stands ("analyze as randomized"). */
  randomizedInError?: boolean;
  unblinded?: boolean;
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
  /** Issue 15: the patient's site and screening number, and the period's due window from the protocol's timing. */
  siteCode?: string | null;
  screeningNumber?: string | null;
  timing?: string | null;
  dueAt?: string | null;
  dueFrom?: string | null;
  dueBy?: string | null;
}

export interface DispensationInput { participantId: string; period: number; lotNumber: string; signature: SignatureInput }

/** One signed decision on an unblinding request (approval, denial or after-the-fact review). */
export interface UnblindingDecisionView {
  kind?: 'approval' | 'review';
  approve?: boolean;
  by: string;
  byName?: string;
  at: string;
  comment: string;
  signatureId?: string;
  signature?: SignatureManifest | null;
}

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
  reviews?: Array<UnblindingDecisionView>;
  /** Approvals and denials so far, each with its signature. */
  decisions?: Array<UnblindingDecisionView>;
  /** The requester's signature (21 CFR 11.50(b): printed name, meaning, time). */
  signature?: SignatureManifest | null;
  firstRevealedAt?: string | null;
  revealCount?: number;
  /** True only for the requester, once the reveal is open to them. */
  canReveal?: boolean;
  /** The caller made this request. */
  mine?: boolean;
  /** Escalation (issue 15): when the server escalated an undecided request and to what; when it will if still pending. */
  escalatedAt?: string | null;
  escalatedTo?: 'backup-monitor' | 'break-the-glass' | null;
  escalatesAt?: string | null;
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
  contacts: Array<{ name: string; role: string; phone: string }>;
  /** PUBLIC_URL + the patient's unblinding section; drawn as the card's QR code. */
  url: string;
}

/** GET /api/study/activation-summary. */
export interface ActivationSummaryView {
  schemeVersion: number | null;
  rehearsed: boolean;
  rehearsal: { patients: number; runAt: string; runBy: string } | null;
  warnings: Array<{ code: string; stratum: string; atPatient: number }>;
  overrideRequired: boolean;
}

/** GET /api/study/lock-summary. */
export interface LockSummaryView {
  openUnblindingRequests: Array<{ id: string; participantId: string; screeningNumber: string; siteCode: string; status: string; requestedAt: string; requestedByName: string }>;
  undispensed: Array<{ participantId: string; screeningNumber: string; siteCode: string; period: number; periodLabel: string; dueBy: string | null }>;
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
  siteCode?: string;
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
/** `seedPhrase` is only mixed into the server's 256 random bits; it never is the seed. */
export interface SchemeInput { method: string; params: Record<string, unknown>; seedPhrase?: string; listLength?: number; live?: boolean }

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

/** POST /api/simulations body (ALGORITHMS.md field names). */
export interface SimulationInput { method: string; params: Record<string, unknown>; n: number; trials: number; seed?: string }
/** The engine's simulation summary, as POST /api/simulations returns it (ALGORITHMS.md field names). */
export type { SimulationResult } from './engine/index.js';

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
  /** The console path of the record the notification is about. */
  link?: string | null;
}

export interface NotificationInbox { items: NotificationView[]; unread: number }

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
  signature?: SignatureManifest | null;
}

/** GET /api/participants/:id: the participant plus answers, corrections and dispensations. */
export interface ParticipantDetailView extends ParticipantView {
  answers?: Record<string, unknown>;
  corrections?: CorrectionView[];
  /** Blinded viewers get period and time only; `product` and `lotNumber` are for unblinded viewers. */
  dispensations?: Array<{ period: number; dispensedAt: string; lotNumber?: string; product?: string; signature?: SignatureManifest | null }>;
}

/** GET /api/signatures/:id/verification (auditors): the manifestation and whether it still binds its record. */
export interface SignatureVerificationView extends SignatureView {
  valid: boolean;
  /** Why the signature does not verify, in words; null when valid. */
  problem: string | null;
}

/** POST /api/study/rehearsal body: synthetic patients randomized on an in-memory copy of the scheme. */
export interface RehearsalInput { patients: number; seed?: string }

/** POST /api/study/rehearsal result (statistician: unblinded, so counts are by arm code). */
export interface RehearsalResult {
  schemeVersion?: number;
  patients?: number;
  randomized: number;
  refusedListExhausted: number;
  overall: Record<string, number>;
  strata: Array<{ key: string; randomized: number; exhaustedAt: number | null; arms: Record<string, number> }>;
  note?: string;
}
