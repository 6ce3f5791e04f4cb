/**
 * API calls and types of the safety pages (issue 17 items 5–7): safety unblinding, inadvertent-unblinding reports,
 * the end-of-study disclosure. Kept apart from client.ts so the safety surfaces stay in one place.
 */
import type {
  DisclosureReport,
  InadvertentInput,
  InadvertentView,
  SafetyRevealView,
  SafetySettings,
  SafetyUnblindingInput,
  SafetyUnblindingView,
} from '../../../shared/contract.js';
import { request } from './http.js';

export type {
  DisclosurePatient,
  DisclosureReport,
  InadvertentInput,
  InadvertentView,
  SafetyRevealView,
  SafetySettings,
  SafetyUnblindingView,
} from '../../../shared/contract.js';

const id = (value: string) => encodeURIComponent(value);

export const getSafetySettings = () => request<SafetySettings>('/safety-unblindings/settings');
export const listSafetyUnblindings = () => request<SafetyUnblindingView[]>('/safety-unblindings');
export const requestSafetyUnblinding = (input: SafetyUnblindingInput) =>
  request<SafetyUnblindingView>('/safety-unblindings', { method: 'POST', body: input });
export const revealSafetyUnblinding = (safetyId: string) =>
  request<SafetyRevealView>(`/safety-unblindings/${id(safetyId)}/reveal`);
export const listInadvertentReports = () => request<InadvertentView[]>('/inadvertent-unblindings');
export const reportInadvertentUnblinding = (input: InadvertentInput) =>
  request<InadvertentView>('/inadvertent-unblindings', { method: 'POST', body: input });
export const getDisclosure = (site?: string) =>
  request<DisclosureReport>('/disclosure', { query: site ? { site } : undefined });
