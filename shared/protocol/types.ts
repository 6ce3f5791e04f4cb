/**
 * The protocol file as the software understands it: the study's design, arms (or crossover
 * sequences), screening questions, eligibility criteria, stratification, unblinding policy and
 * the treatment-code format. Produced by `parseProtocol`; everything else reads this shape.
 */

export type DesignKind = 'parallel' | 'crossover';
export type UnblindingPolicy = 'break-the-glass' | 'monitor-approval' | 'two-person';
type QuestionType = 'boolean' | 'number' | 'integer' | 'choice';

interface StudyInfo {
  code: string;
  title: string;
  registryId?: string;
}

export interface Period {
  number: number;
  label: string;
  /** "day 0", "week 24", "month 6": counted from randomization (see period-timing.ts). */
  timing?: string;
  /** Days either side of the target day in which the preparation is due. */
  windowDays?: number;
}

/** A person to call 24/7 about an emergency unblinding. */
export interface EmergencyContact {
  name: string;
  role: string;
  phone: string;
}

export type EscalationTarget = 'backup-monitor' | 'break-the-glass';

/** Emergency contacts and what the server does when a request is not decided in time. */
export interface EmergencyRule {
  contacts: EmergencyContact[];
  escalateAfterMinutes: number;
  escalateTo: EscalationTarget;
  /** Usernames of medical monitors alerted when `escalateTo` is backup-monitor. */
  backupMonitors: string[];
}

interface Product {
  code: string;
  label: string;
}

/** An arm; in a crossover design the arms are the sequences (e.g. MSC-PBO, PBO-MSC). */
interface Arm {
  code: string;
  label: string;
  /** Integer allocation weight: 2 and 1 give a 2:1 ratio. */
  ratio: number;
  /** The product code given in each period, in period order. */
  products: string[];
}

export interface Question {
  id: string;
  label: string;
  type: QuestionType;
  options?: string[];
  unit?: string;
  min?: number;
  max?: number;
}

/**
 * A test on one answer. Every given test must hold: `equals` the exact value, `in` one of the
 * listed values, `min`/`max` inclusive bounds for numbers.
 */
export interface AnswerTest {
  equals?: boolean | string | number;
  in?: Array<string | number>;
  min?: number;
  max?: number;
}

export interface Condition extends AnswerTest {
  question: string;
}

interface CriterionBase {
  id: string;
  text: string;
  /** Inclusion or exclusion, for display; the test always says what PASSES. */
  kind: 'inclusion' | 'exclusion';
  /** The criterion only applies when this condition holds (e.g. course = RRMS); otherwise it passes. */
  appliesWhen?: Condition;
}

interface LeafCriterion extends CriterionBase, AnswerTest {
  question: string;
}

interface GroupCriterion extends CriterionBase {
  /** Passes when at least one child passes ("one or more of the following"). */
  anyOf?: Criterion[];
  /** Passes when every child passes ("both", "all the following"). */
  allOf?: Criterion[];
}

export type Criterion = LeafCriterion | GroupCriterion;

interface FactorLevel {
  code: string;
  label: string;
  when: AnswerTest;
}

/** A stratification factor derived from one screening answer. */
interface StratificationFactor {
  id: string;
  label: string;
  question: string;
  levels: FactorLevel[];
}

interface Stratification {
  factors: StratificationFactor[];
  /** Whether the site is an additional stratification factor (named `site` in stratum keys). */
  bySite: boolean;
}

export interface TreatmentCodeFormat {
  prefix: string;
  length: number;
  alphabet: string;
}

interface Site {
  code: string;
  name: string;
}

/** The method the protocol proposes when none is given explicitly. */
interface DefaultRandomization {
  method: string;
  params: Record<string, unknown>;
}

export interface Protocol {
  version: 1;
  study: StudyInfo;
  design: DesignKind;
  periods: Period[];
  products: Product[];
  arms: Arm[];
  sites?: Site[];
  questions: Question[];
  eligibility: Criterion[];
  stratification: Stratification;
  unblinding: { policy: UnblindingPolicy; safety?: SafetyUnblindingConfig; emergency?: EmergencyRule };
  /** Phrases that name a product word but are ordinary trial vocabulary (e.g. "MSC harvest"): allowed in free text. */
  blinding: { allowedPhrases: string[] };
  treatmentCode: TreatmentCodeFormat;
  listLengthPerStratum: number;
  randomization?: DefaultRandomization;
}

/**
 * Safety unblinding for expedited reporting (SUSAR; ICH E6(R3) 3.15.2(d)(iii)): the arm goes only to this
 * recipient — the users holding the pharmacovigilance role, or one address through the e-mail outbox —
 * while the requester and the study team get a neutral confirmation. Absent: safety unblinding is off.
 */
export type SafetyRecipient = { role: 'pharmacovigilance' } | { email: string };
interface SafetyUnblindingConfig {
  recipient: SafetyRecipient;
}

/** One problem found in a protocol file: where (field path and line) and what was expected. */
export interface ProtocolError {
  path: string;
  line: number | null;
  message: string;
}

export type ParseResult = { ok: true; protocol: Protocol } | { ok: false; errors: ProtocolError[] };

/** Alphabet without look-alike characters (no 0/O, 1/I/L), used when the file gives none. */
export const DEFAULT_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
