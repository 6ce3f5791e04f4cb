/**
 * The typed API client: one function per endpoint of ../shared/handbook/API.md. Pages call these,
 * never fetch. Every request and response type comes from shared/contract.ts (shared with the server).
 */
import type {
  ActivationSummaryView,
  EmergencyCardView,
  LockSummaryView,
  AdminUserView,
  AllocationLogEntry,
  AuditPage,
  CheckpointView,
  CorrectionInput,
  DecisionInput,
  DispensationInput,
  LoginResponse,
  RecoveryCodesView,
  SecondFactorEnrolment,
  CreateUserInput,
  DispensationView,
  NotificationInbox,
  ParticipantDetailView,
  QualificationReport,
  QualificationSummary,
  ParticipantView,
  PharmacyTaskView,
  RandomizationResult,
  RegisterParticipantInput,
  RehearsalInput,
  RehearsalResult,
  RevealView,
  RoleGrantDecisionInput,
  RoleGrantView,
  SchemeDesignView,
  SchemeInput,
  SchemeView,
  SignatureInput,
  SignatureVerificationView,
  UpdateUserInput,
  SiteView,
  StudyMembershipView,
  StudySignaturesView,
  StudyView,
  UnblindStudyInput,
  UnblindingRegisterEntry,
  UnblindingRequestInput,
  UnblindingRequestView,
  UserView,
  VerifyResult,
} from '../../../shared/contract.js';
import { download, request } from './http.js';
import { intentKey, settleIntent } from './idempotency.js';
import { ApiError } from './http.js';

// ---- health & auth
export const login = (username: string, password: string, totp?: string) =>
  request<LoginResponse>('/auth/login', { method: 'POST', body: { username, password, ...(totp ? { totp } : {}) } });
/** Second factor: a new secret (shown once), then a current code activates it and returns the recovery codes. */
export const enrolSecondFactor = () => request<SecondFactorEnrolment>('/auth/second-factor/enrol', { method: 'POST' });
export const confirmSecondFactor = (code: string) =>
  request<RecoveryCodesView>('/auth/second-factor/confirm', { method: 'POST', body: { code } });
export const resetSecondFactor = (userId: string, reason: string) =>
  request<void>(`/users/${userId}/second-factor/reset`, { method: 'POST', body: { reason } });
export const getMe = () => request<UserView>('/auth/me');
/** The signed-in person's own language (null: their site's). */
export const updateMe = (input: { locale: 'en' | 'fr' | null }) =>
  request<UserView>('/auth/me', { method: 'PATCH', body: input });
export const logout = () => request<void>('/auth/logout', { method: 'POST' });
/** The studies the person may open (the switcher), and the one the console opens next time (any device). */
export const listStudies = () => request<StudyMembershipView[]>('/studies');
export const rememberStudy = (studyCode: string) =>
  request<void>('/auth/me/last-study', { method: 'PUT', body: { studyCode } });

// ---- users & sites (admin)
export type { CreateUserInput, UpdateUserInput };
export const listUsers = () => request<AdminUserView[]>('/users');
export const createUser = (input: CreateUserInput) => request<AdminUserView>('/users', { method: 'POST', body: input });
export const updateUser = (id: string, input: UpdateUserInput) =>
  request<AdminUserView>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
export const unlockUser = (id: string, reason?: string) =>
  request<AdminUserView>(`/users/${encodeURIComponent(id)}/unlock`, { method: 'POST', body: { reason } });
/** Sends the user a one-time set-password link (held for approval when the role is sensitive). */
export const resetPassword = (id: string, reason?: string) =>
  request<AdminUserView>(`/users/${encodeURIComponent(id)}/reset-password`, { method: 'POST', body: { reason } });
export const listRoleGrants = (status?: 'pending' | 'approved' | 'rejected') =>
  request<RoleGrantView[]>(`/role-grants${status ? `?status=${status}` : ''}`);
export const decideRoleGrant = (id: string, input: RoleGrantDecisionInput) =>
  request<RoleGrantView>(`/role-grants/${encodeURIComponent(id)}/decision`, { method: 'POST', body: input });
export const setPassword = (token: string, password: string) =>
  request<void>('/auth/set-password', { method: 'POST', body: { token, password } });
export const listSites = () => request<SiteView[]>('/sites');
export const createSite = (code: string, name: string) =>
  request<SiteView>('/sites', { method: 'POST', body: { code, name } });
export const updateSite = (
  code: string,
  input: { name?: string; active?: boolean; locale?: 'en' | 'fr' | null; reason?: string },
) => request<SiteView>(`/sites/${encodeURIComponent(code)}`, { method: 'PATCH', body: input });

// ---- study, scheme, simulation (statistician)
export const getStudy = () => request<StudyView>('/study');
export const getStudySignatures = () => request<StudySignaturesView>('/study/signatures');
export const generateScheme = (input: SchemeInput) =>
  request<SchemeView>('/study/scheme', { method: 'POST', body: input });
export const importScheme = (csv: string) =>
  request<SchemeView>('/study/scheme/import', { method: 'POST', csvBody: csv });
/** The full scheme for the randomization statistician; the design only (no arms, strata or fingerprint) for a blinded reader. */
export const getScheme = () => request<SchemeView | SchemeDesignView>('/study/scheme', { query: { format: 'json' } });
export const downloadSchemeCsv = () => download('/study/scheme', 'allocation-list.csv', { format: 'csv' });
export const rehearseScheme = (input: RehearsalInput) =>
  request<RehearsalResult>('/study/rehearsal', { method: 'POST', body: input });
export const activateStudy = (signature: SignatureInput, overrideReason?: string) =>
  request<StudyView>('/study/activate', {
    method: 'POST',
    body: overrideReason ? { signature, overrideReason } : { signature },
  });
export const getActivationSummary = () => request<ActivationSummaryView>('/study/activation-summary');
export const getLockSummary = () => request<LockSummaryView>('/study/lock-summary');
export const getEmergencyCard = (participantId: string) =>
  request<EmergencyCardView>(`/participants/${encodeURIComponent(participantId)}/emergency-card`);
export const lockStudy = (signature: SignatureInput) =>
  request<StudyView>('/study/lock', { method: 'POST', body: { signature } });
export const unblindStudy = (input: UnblindStudyInput) =>
  request<StudyView>('/study/unblind', { method: 'POST', body: input });

// ---- participants (investigator; blinded views for blinded roles)
export const registerParticipant = (input: RegisterParticipantInput) =>
  request<ParticipantDetailView>('/participants', { method: 'POST', body: input });
export const listParticipants = () => request<ParticipantView[]>('/participants');
export const getParticipant = (id: string) => request<ParticipantDetailView>(`/participants/${encodeURIComponent(id)}`);
/** A signed correction; the server answers with the participant as it now stands (allocation unchanged). */
export const correctParticipant = (id: string, input: CorrectionInput) =>
  request<ParticipantDetailView>(`/participants/${encodeURIComponent(id)}/corrections`, {
    method: 'POST',
    body: input,
  });

/** Codes after which retrying the same intent cannot change the outcome: a new attempt is a new intent. */
const SETTLING_CODES = new Set([
  'ALREADY_RANDOMIZED',
  'NOT_ELIGIBLE',
  'IDEMPOTENCY_KEY_REUSED',
  'NOT_FOUND',
  'FORBIDDEN',
  'STUDY_NOT_ACTIVE',
  'LIST_EXHAUSTED',
]);

/**
 * Randomizes with this participant's intent key: every retry of the intent (a lost answer, BUSY,
 * IDEMPOTENCY_IN_FLIGHT, a mistyped signature password, a reload) resends the same key, so the
 * server answers with the original result instead of randomizing twice. The server's body hash
 * leaves the password out, so a corrected password is the same request.
 */
export async function randomizeParticipant(id: string, signature: SignatureInput): Promise<RandomizationResult> {
  const key = intentKey(id);
  try {
    const result = await request<RandomizationResult>(`/participants/${encodeURIComponent(id)}/randomize`, {
      method: 'POST',
      body: { signature },
      headers: { 'Idempotency-Key': key },
    });
    settleIntent(id);
    return result;
  } catch (e) {
    if (e instanceof ApiError && SETTLING_CODES.has(e.code)) settleIntent(id);
    throw e;
  }
}

// ---- pharmacy (pharmacist: unblinded)
export const listPharmacyTasks = () => request<PharmacyTaskView[]>('/pharmacy/tasks');
export const recordDispensation = (input: DispensationInput) =>
  request<DispensationView>('/pharmacy/dispensations', { method: 'POST', body: input });

// ---- allocation log
export const getAllocationLog = () => request<AllocationLogEntry[]>('/allocation-log', { query: { format: 'json' } });
export const downloadAllocationLog = () => download('/allocation-log', 'allocation-log.csv', { format: 'csv' });
/** @public Called from a template as `api.downloadCdisc`, which knip does not see. */
export const downloadCdisc = () => download('/exports/cdisc', 'cdisc-adsl.csv');

// ---- unblinding
export const requestUnblinding = (input: UnblindingRequestInput) =>
  request<UnblindingRequestView>('/unblinding-requests', { method: 'POST', body: input });
export const listUnblindingRequests = (participantId?: string) =>
  request<UnblindingRequestView[]>('/unblinding-requests', participantId ? { query: { participantId } } : {});
export const decideUnblinding = (id: string, input: DecisionInput) =>
  request<UnblindingRequestView>(`/unblinding-requests/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    body: input,
  });
export const revealUnblinding = (id: string) =>
  request<RevealView>(`/unblinding-requests/${encodeURIComponent(id)}/reveal`);
export const getUnblindingRegister = () => request<UnblindingRegisterEntry[]>('/unblinding-register');
export const downloadUnblindingRegister = () =>
  download('/unblinding-register', 'unblinding-register.csv', { format: 'csv' });

// ---- audit
export interface AuditQuery {
  after?: number;
  limit?: number;
  action?: string;
  actor?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}
export const getAuditPage = (q: AuditQuery) => request<AuditPage>('/audit', { query: { ...q } });
/** Every entry matching the filters, as the server's CSV (the same redaction as the pages). */
export const downloadAuditCsv = ({ after: _a, limit: _l, ...filters }: AuditQuery) =>
  download('/audit/export', 'audit-trail.csv', { ...filters });
export const verifyAuditChain = () => request<VerifyResult>('/audit/verify');
export const listCheckpoints = () => request<CheckpointView[]>('/audit/checkpoints');
export const verifySignature = (id: string) =>
  request<SignatureVerificationView>(`/signatures/${encodeURIComponent(id)}/verification`);
export const createCheckpoint = (reason?: string) =>
  request<CheckpointView>('/audit/checkpoints', { method: 'POST', body: reason ? { reason } : {} });

// ---- qualification (admin)
export const listQualifications = () => request<QualificationSummary[]>('/admin/qualification');
export const runQualification = () =>
  request<QualificationSummary>('/admin/qualification', { method: 'POST', body: {} });
export const getQualification = (id: string) =>
  request<QualificationReport>(`/admin/qualification/${encodeURIComponent(id)}`);

// ---- notifications
export const getInbox = () => request<NotificationInbox>('/notifications');
export const markNotificationRead = (id: string) =>
  request<NotificationInbox>(`/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
