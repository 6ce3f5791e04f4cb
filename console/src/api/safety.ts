/**
 * API calls and types of the safety pages (issue 17 items 5–7): safety unblinding, inadvertent-unblinding reports,
 * the end-of-study disclosure. Kept apart from client.ts so the safety surfaces stay in one place.
 */
import type { SignatureInput } from '../../../shared/contract.js';
import { request } from './http.js';

export interface SafetySettings { enabled: boolean; recipientKind: 'role' | 'email' | null }
export interface SafetyUnblindingView {
  id: string; participantId: string; screeningNumber: string; siteCode: string; randomizationNumber: number | null; treatmentCode: string | null;
  reason: string; reportReference: string | null; recipient: { kind: 'role' | 'email'; label: string; address?: string; role?: string };
  status: 'delivered'; confirmation: string; requestedBy: string; requestedByName: string; requestedAt: string; signatureId: string;
  firstViewedAt: string | null; viewCount: number; canView: boolean;
}
export interface AllocationPeriod { period: number; label?: string; product: string; productLabel: string }
/** Only pharmacovigilance receives this (one patient), and the disclosure after end-of-study unblinding. */
export interface AllocationDescription { design: string; arm: string; armLabel: string; sequence?: string; product?: string; productLabel?: string; periods: AllocationPeriod[] }
export interface SafetyRevealView extends AllocationDescription {
  safetyUnblindingId: string; participantId: string; screeningNumber: string; siteCode: string; randomizationNumber: number; treatmentCode: string;
  reason: string; reportReference: string | null; requestedByName: string; requestedAt: string; viewedAt: string; viewCount: number;
}
export interface InadvertentInput {
  participantIds: string[]; occurredOn: string; howItHappened: string; whoWasUnblinded: string; impactAssessment: string; correctiveAction: string; signature: SignatureInput;
}
export interface InadvertentView {
  id: string; occurredOn: string; patients: Array<{ participantId: string; screeningNumber: string; siteCode: string }>;
  howItHappened: string; whoWasUnblinded: string; impactAssessment: string; correctiveAction: string;
  reportedBy: string; reportedByName: string; reporterRole: string; reportedAt: string; signatureId: string;
}
export interface DisclosurePatient extends AllocationDescription {
  participantId: string; screeningNumber: string; randomizationNumber: number; treatmentCode: string; randomizedAt: string; randomizedInError: boolean;
}
export interface DisclosureReport {
  study: { code: string; title: string; design: string; unblindedAt: string | null }; generatedAt: string; generatedBy: string;
  sites: Array<{ siteCode: string; siteName: string; patients: DisclosurePatient[] }>;
}

const id = (value: string) => encodeURIComponent(value);

export const getSafetySettings = () => request<SafetySettings>('/safety-unblindings/settings');
export const listSafetyUnblindings = () => request<SafetyUnblindingView[]>('/safety-unblindings');
export const requestSafetyUnblinding = (input: { participantId: string; reason: string; reportReference?: string; signature: SignatureInput }) =>
  request<SafetyUnblindingView>('/safety-unblindings', { method: 'POST', body: input });
export const revealSafetyUnblinding = (safetyId: string) => request<SafetyRevealView>(`/safety-unblindings/${id(safetyId)}/reveal`);
export const listInadvertentReports = () => request<InadvertentView[]>('/inadvertent-unblindings');
export const reportInadvertentUnblinding = (input: InadvertentInput) => request<InadvertentView>('/inadvertent-unblindings', { method: 'POST', body: input });
export const getDisclosure = (site?: string) => request<DisclosureReport>('/disclosure', { query: site ? { site } : undefined });
