/** Users, sites, role grants and sign-in. */
import type { Locale } from '../i18n/catalogue.js';
import type { Role } from '../roles.js';
import type { SignatureInput } from './common.js';

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
  /** Their second factor as this session sees it; on sign-in and /auth/me. */
  secondFactor?: SecondFactorState;
  /**
   * The study the console opens for this person (PUT /api/auth/me/last-study), while they still hold a role
   * in it; null: none remembered. On sign-in and /auth/me.
   */
  lastStudyCode?: string | null;
}

/**
 * A local account's second factor (TOTP). `required`: the role can sign or unblind, so until
 * `enrolled` the session can only enrol (every other route answers 403 MFA_ENROLMENT_REQUIRED).
 */
export interface SecondFactorState {
  required: boolean;
  enrolled: boolean;
  /** The next signature of this session needs a code as well as the password (its first: 21 CFR 11.200(a)(1)). */
  signatureNeedsCode: boolean;
  /** Unused recovery codes left (0 when not enrolled). */
  recoveryCodesRemaining: number;
}

/** POST /auth/second-factor/enrol: the new secret, shown this once (confirm it with a code to activate it). */
export interface SecondFactorEnrolment {
  /** Base32, for typing into an authenticator app. */
  secret: string;
  otpauthUri: string;
  /** The otpauth URI as a QR code (PNG data URL). */
  qrCode: string;
}

/** POST /auth/second-factor/confirm: the second factor is active; the recovery codes are shown this once. */
export interface RecoveryCodesView {
  recoveryCodes: string[];
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
  /** A role in one study (POST /api/studies/:code/members); absent: a change of the account itself. */
  studyCode?: string;
  /** Only on the approval that issued a set-password link (new account, password reset). */
  passwordLink?: PasswordLinkIssued;
}

export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
  idleTimeoutSeconds: number;
  user: UserView;
  /** Set when a recovery code was used to sign in: how many unused ones remain. */
  recoveryCodesRemaining?: number;
}

export interface SiteView {
  code: string;
  name: string;
  active: boolean;
  /** The language of the site's staff unless they choose another (null: the instance default). */
  locale: Locale | null;
}

// ---- request bodies (the DTO classes implement these)
export interface LoginInput {
  username: string;
  password: string;
  /** The 6-digit code from the authenticator app, or a recovery code (accounts with a second factor). */
  totp?: string;
}
export interface ConfirmSecondFactorInput {
  code: string;
}
/** An administrator resets someone's second factor: they enrol again at their next sign-in. */
export interface ResetSecondFactorInput {
  reason: string;
}
export interface SetPasswordInput {
  token: string;
  password: string;
}
/** PUT /api/auth/me/last-study: the study the console should open next time (one the person holds a role in). */
export interface LastStudyInput {
  studyCode: string;
}

export interface UpdateMeInput {
  locale: Locale | null;
}
/** No password: the user sets it from a one-time link e-mailed to `email` (an admin never chooses it). */
export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  siteCodes?: string[];
  email?: string;
  locale?: Locale | null;
}
export interface UpdateUserInput {
  displayName?: string;
  role?: Role;
  siteCodes?: string[];
  active?: boolean;
  email?: string;
  locale?: Locale | null;
  reason?: string;
}
export interface ReasonInput {
  reason?: string;
}
export interface RoleGrantDecisionInput {
  approve: boolean;
  comment?: string;
  signature: SignatureInput;
}
export interface CreateSiteInput {
  code: string;
  name: string;
  locale?: Locale | null;
}
export interface UpdateSiteInput {
  name?: string;
  active?: boolean;
  locale?: Locale | null;
  reason?: string;
}
