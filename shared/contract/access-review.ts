/**
 * The periodic access review of one study (ICH E6(R3) 4.3.8, EU GMP Annex 11 §12): who holds which role,
 * since when, granted and approved by whom, the account's state and last sign-in, and what changed since
 * the previous signed review. It holds no participant, allocation or arm data at all: nothing in it
 * depends on the randomization, so blinded readers (admin, auditor) may read it whole.
 */
import type { Role } from '../roles.js';
import type { SignatureInput } from './common.js';

export type AccessAccountState = 'active' | 'locked' | 'deactivated' | 'awaiting-approval';

/** A value the records cannot tell (the account predates the record that would hold it). */
export type AccessReviewUnknown = 'roleSince' | 'roleGrantedBy' | 'createdBy';

export interface AccessReviewAccount {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  /** Sites the role is limited to (investigators); empty: every site of the study. */
  siteCodes: string[];
  state: AccessAccountState;
  /** The identity provider (issuer) the account signs in through, or null: a local password account. */
  identityProvider: string | null;
  /** Whether a second factor (TOTP) is enrolled; null for an account of the identity provider (the provider's factor applies). */
  secondFactor: boolean | null;
  /** Whether the role needs a second factor (it can sign or unblind) and the account signs in locally. */
  secondFactorRequired: boolean;
  accountCreatedAt: string;
  /** The username that created the account (`demo` for demo data, `cli` for the operator's CLI); null when unknown. */
  createdBy: string | null;
  /** When the current role took effect; null when unknown. */
  roleSince: string | null;
  /** Who gave the current role (requested it, for a held grant); null when unknown. */
  roleGrantedBy: string | null;
  /** Who signed the approval of a held grant of the current role; null when it needed none. */
  roleApprovedBy: string | null;
  /** The start of the newest session; null: never signed in. */
  lastSignInAt: string | null;
  /** Held grants of this account waiting for a second person. */
  pendingGrants: Array<{ kind: string; role: Role; requestedBy: string; requestedAt: string }>;
  /** Which of the values above the records cannot tell. */
  unknown: AccessReviewUnknown[];
}

/** One access change recorded in the audit trail since the previous review. */
export interface AccessReviewChange {
  /**
   * The audit entry's sequence number (GET /api/audit, or /api/admin/audit for account entries since the
   * instance chain). 0 for a study role given or taken in a study other than the first (its study_roles
   * history, action study_role.granted / study_role.revoked).
   */
  seq: number;
  at: string;
  actor: string;
  action: string;
  userId: string;
  username: string;
  /** The access fields it changed (role, sites, active, locked, e-mail), the grant or the identity-provider link it concerns. */
  fields: Array<{ field: string; old: string | null; new: string | null }>;
}

/** The part of the report a review signs: its SHA-256 over canonical JSON is `contentHash`. */
export interface AccessReviewContent {
  format: 'blindrand-access-review/1';
  studyCode: string;
  studyTitle: string;
  /** The previous signed review (its id and time) whose changes this report starts after; null for the first. */
  previousReview: { id: string; reviewedAt: string } | null;
  accounts: AccessReviewAccount[];
  changes: AccessReviewChange[];
}

export interface AccessReviewSchedule {
  lastReviewAt: string | null;
  /** When the next review is due: the last review's own date, or the study's creation plus the interval. */
  nextDueAt: string;
  overdue: boolean;
  intervalDays: number;
}

export interface AccessReviewReport {
  content: AccessReviewContent;
  contentHash: string;
  generatedAt: string;
  schedule: AccessReviewSchedule;
}

export interface AccessReviewInput {
  /** The contentHash of the report the reviewer read: refused (409) if the report changed since. */
  contentHash: string;
  /** Findings and actions. */
  conclusion: string;
  /** Days until the next review (default: the instance's interval, ACCESS_REVIEW_INTERVAL_DAYS). */
  nextReviewDays?: number;
  signature: SignatureInput;
}

export interface AccessReviewRecordView {
  id: string;
  studyCode: string;
  reviewedAt: string;
  reviewer: string;
  printedName: string;
  conclusion: string;
  periodStart: string | null;
  periodEnd: string;
  nextDueAt: string;
  contentHash: string;
  signatureId: string;
  /** Re-checked on every read: the stored report still hashes to contentHash, and the signature binds this review. */
  verification: { reportHashMatches: boolean; signatureValid: boolean };
}

export interface AccessReviewRecordDetail extends AccessReviewRecordView {
  content: AccessReviewContent;
}
