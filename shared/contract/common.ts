/** Statuses, signatures and health: the small types every area of the contract uses. */
export type { StudyStatus } from '../study-status.js';
export type ParticipantStatus = 'eligible' | 'ineligible' | 'randomized' | 'unblinded';
export type UnblindingStatus = 'pending' | 'approved' | 'denied' | 'revealed';
// A protocol setting, defined with the protocol's types (shared/protocol must not import the contract).
export type { UnblindingPolicy } from '../protocol/types.js';

export interface SignatureInput {
  /** Empty when `reauthTicket` is given. */
  password: string;
  meaning?: string;
  /** An account of the identity provider: the single-use ticket of a fresh login there (POST /api/auth/oidc/reauth). */
  reauthTicket?: string;
  /** The authenticator code (or a recovery code): needed for the first signature of a session (21 CFR 11.200(a)(1)). */
  totp?: string;
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

/** GET /api/signatures/:id/verification (auditors): the manifestation and whether it still binds its record. */
export interface SignatureVerificationView extends SignatureView {
  valid: boolean;
  /** Why the signature does not verify, in words; null when valid. */
  problem: string | null;
}

export interface HealthView {
  status: 'ok' | 'degraded';
  /** Reads answer. */
  db: 'ok' | 'down';
  /** Writes commit: `busy` = waiting for another process's lock (still healthy); `full` / `unavailable` = writes fail. */
  writer: 'ok' | 'busy' | 'full' | 'unavailable';
}
