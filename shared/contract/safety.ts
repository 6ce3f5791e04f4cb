/** Safety unblinding (SUSAR), inadvertent-unblinding reports and the end-of-study disclosure. */
import type { DesignKind } from '../protocol/index.js';
import type { SignatureInput } from './common.js';
import type { AllocationDescription } from './unblinding.js';

export type SafetyRecipientKind = 'role' | 'email';

/** GET /api/safety-unblindings/settings. */
export interface SafetySettings {
  enabled: boolean;
  recipientKind: SafetyRecipientKind | null;
}

/** A safety unblinding as requesters, monitors, auditors and pharmacovigilance see it: the same fields and sizes for every arm. */
export interface SafetyUnblindingView {
  id: string;
  participantId: string;
  screeningNumber: string;
  siteCode: string;
  randomizationNumber: number | null;
  treatmentCode: string | null;
  reason: string;
  reportReference: string | null;
  /** `address` for an e-mail recipient, `role` for a role. */
  recipient: { kind: SafetyRecipientKind; label: string; address?: string; role?: string };
  status: 'delivered';
  confirmation: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
  signatureId: string;
  firstViewedAt: string | null;
  viewCount: number;
  /** True only for a pharmacovigilance user, on a request addressed to that role. */
  canView: boolean;
}

/** GET /api/safety-unblindings/:id/reveal: pharmacovigilance only, one patient's allocation. */
export interface SafetyRevealView extends AllocationDescription {
  safetyUnblindingId: string;
  participantId: string;
  screeningNumber: string;
  siteCode: string;
  randomizationNumber: number;
  treatmentCode: string;
  reason: string;
  reportReference: string | null;
  requestedByName: string;
  requestedAt: string;
  viewedAt: string;
  viewCount: number;
}

/** A signed inadvertent-unblinding report (checked free text; never an arm). */
export interface InadvertentView {
  id: string;
  occurredOn: string;
  patients: Array<{ participantId: string; screeningNumber: string; siteCode: string }>;
  howItHappened: string;
  whoWasUnblinded: string;
  impactAssessment: string;
  correctiveAction: string;
  reportedBy: string;
  reportedByName: string;
  reporterRole: string;
  reportedAt: string;
  signatureId: string;
}

export interface DisclosurePatient extends AllocationDescription {
  participantId: string;
  screeningNumber: string;
  randomizationNumber: number;
  treatmentCode: string;
  randomizedAt: string;
  randomizedInError: boolean;
}

/** GET /api/disclosure: per site, the treatment each patient received (after end-of-study unblinding). */
export interface DisclosureReport {
  study: { code: string; title: string; design: DesignKind; unblindedAt: string | null };
  generatedAt: string;
  generatedBy: string;
  sites: Array<{ siteCode: string; siteName: string; patients: DisclosurePatient[] }>;
}

// ---- request bodies (the DTO classes implement these)
export interface SafetyUnblindingInput {
  participantId: string;
  reason: string;
  reportReference?: string;
  signature: SignatureInput;
}
export interface InadvertentInput {
  participantIds: string[];
  occurredOn: string;
  howItHappened: string;
  whoWasUnblinded: string;
  impactAssessment: string;
  correctiveAction: string;
  signature: SignatureInput;
}
