/**
 * Types of the HTTP contract (../shared/handbook/API.md), shared by the server's views and the
 * console's API client. Fields named `arm`, `sequence`, `product` (and arm codes/labels) appear only
 * in views for unblinded viewers.
 */
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
}

export interface AdminUserView extends UserView {
  email: string | null;
  active: boolean;
  locked: boolean;
  failedAttempts: number;
  createdAt: string;
  updatedAt: string;
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
}

export interface SignatureInput {
  password: string;
  meaning?: string;
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
  prevHash: string;
  hash: string;
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
}

export interface HealthView {
  status: 'ok' | 'degraded';
  db: 'ok' | 'down';
}
