/**
 * Roles and permissions are data: one map from role to permissions, read by the server's
 * guard and by the console's router and navigation. Blinded is the default; seeing arms
 * is the explicit `ViewArms` permission, or `ViewArmsAfterUnblinding` once the study is unblinded
 * (the trial statistician). `isBlindedAt(role, studyStatus)` is the one rule.
 */
import type { StudyStatus } from './study-status.js';

export const ROLES = [
  'admin',
  'investigator',
  'pharmacist',
  'medical_monitor',
  'statistician',
  'randomization_statistician',
  'auditor',
  'pharmacovigilance',
] as const;
export type Role = (typeof ROLES)[number];

export enum Permission {
  ReadStudy = 'study:read',
  /** Generate, import and rehearse the allocation list (the randomization statistician: it shows arms). */
  DesignScheme = 'scheme:design',
  /** Read the scheme's method and parameters (the list itself only for an unblinded viewer). */
  ReadScheme = 'scheme:read',
  ActivateStudy = 'study:activate',
  LockStudy = 'study:lock',
  UnblindStudy = 'study:unblind',
  RunSimulations = 'simulations:run',
  RegisterParticipant = 'participants:register',
  ReadParticipants = 'participants:read',
  Randomize = 'participants:randomize',
  CorrectParticipant = 'participants:correct',
  ReadPharmacyTasks = 'pharmacy:read',
  Dispense = 'pharmacy:dispense',
  ReadAllocationLog = 'allocation-log:read',
  RequestUnblinding = 'unblinding:request',
  ReadUnblindingRequests = 'unblinding:read',
  DecideUnblinding = 'unblinding:decide',
  ReadUnblindingRegister = 'unblinding-register:read',
  ExportCdisc = 'exports:cdisc',
  ReadAudit = 'audit:read',
  CreateCheckpoint = 'audit:checkpoint',
  ManageUsers = 'users:manage',
  ManageSites = 'sites:manage',
  ReadNotifications = 'notifications:read',
  /** Approve or reject a held grant of a sensitive role (see SENSITIVE_ROLES). */
  ApproveRoleGrants = 'role-grants:approve',
  /** Ask for a safety unblinding (SUSAR/expedited report): the arm goes only to the protocol's designated recipient. */
  RequestSafetyUnblinding = 'safety-unblinding:request',
  /** List safety unblindings (neutral: who asked, when, for whom it was delivered; never the arm). */
  ReadSafetyUnblindings = 'safety-unblinding:read',
  /** Receive the arms of the safety unblindings addressed to one's role, one patient at a time (pharmacovigilance). */
  ReceiveSafetyUnblinding = 'safety-unblinding:receive',
  /** Report an inadvertent unblinding (signed; E6(R3) 4.1.4). */
  ReportInadvertentUnblinding = 'inadvertent-unblinding:report',
  ReadInadvertentUnblindings = 'inadvertent-unblinding:read',
  /** After end-of-study unblinding: the per-site disclosure report (investigators: their own sites). */
  ReadDisclosure = 'disclosure:read',
  /** Run installation and operational qualification and read its reports (admin). */
  RunQualification = 'qualification:run',
  /** Read a study's access review report and its signed reviews (admin; auditor/monitor who inspect). No arm data in it. */
  ReadAccessReview = 'access-review:read',
  /** Sign the periodic access review of a study (ICH E6(R3) 4.3.8). */
  SignAccessReview = 'access-review:sign',
  /** Create a study (instance admin; signed together with the new study's trial statistician). */
  CreateStudy = 'studies:create',
  /** Read who holds which role in a study, live and revoked (the study's admin and auditor; any instance admin). */
  ReadStudyMembers = 'study-members:read',
  /** Grant and revoke roles in a study (the study's admin; any instance admin). Sensitive roles are held for a second person. */
  ManageStudyMembers = 'study-members:manage',
  /** The one permission that lifts the blind, at any study status. */
  ViewArms = 'arms:view',
  /** Lifts the blind only once the study is `unblinded` (end-of-study unblinding, two signatures). */
  ViewArmsAfterUnblinding = 'arms:view-after-unblinding',
}

const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    Permission.ReadStudy,
    Permission.ReadAudit,
    Permission.CreateCheckpoint,
    Permission.ManageUsers,
    Permission.ManageSites,
    Permission.ReadNotifications,
    Permission.ApproveRoleGrants,
    Permission.RunQualification,
    Permission.ReadAccessReview,
    Permission.SignAccessReview,
    Permission.CreateStudy,
    Permission.ReadStudyMembers,
    Permission.ManageStudyMembers,
  ],
  investigator: [
    Permission.ReadStudy,
    Permission.RegisterParticipant,
    Permission.ReadParticipants,
    Permission.Randomize,
    Permission.CorrectParticipant,
    Permission.RequestUnblinding,
    Permission.ReadUnblindingRequests,
    Permission.ReadNotifications,
    Permission.RequestSafetyUnblinding,
    Permission.ReadSafetyUnblindings,
    Permission.ReportInadvertentUnblinding,
    Permission.ReadDisclosure,
  ],
  pharmacist: [
    Permission.ReadStudy,
    Permission.ReadParticipants,
    Permission.ReadPharmacyTasks,
    Permission.Dispense,
    Permission.ReadAllocationLog,
    Permission.ReadNotifications,
    Permission.ViewArms,
    Permission.ReportInadvertentUnblinding,
  ],
  medical_monitor: [
    Permission.ReadStudy,
    Permission.ReadParticipants,
    Permission.ReadUnblindingRequests,
    Permission.DecideUnblinding,
    Permission.ReadNotifications,
    Permission.RequestSafetyUnblinding,
    Permission.ReadSafetyUnblindings,
    Permission.ReportInadvertentUnblinding,
    Permission.ReadInadvertentUnblindings,
  ],
  // The trial statistician: blinded until end-of-study unblinding (design, lock, the two signatures, then analysis).
  statistician: [
    Permission.ReadStudy,
    Permission.ReadScheme,
    Permission.LockStudy,
    Permission.UnblindStudy,
    Permission.RunSimulations,
    Permission.ReadParticipants,
    Permission.CorrectParticipant,
    Permission.ReadAllocationLog,
    Permission.ExportCdisc,
    Permission.ReadAudit,
    Permission.ReadNotifications,
    Permission.ViewArmsAfterUnblinding,
    Permission.ReportInadvertentUnblinding,
    Permission.ReadDisclosure,
  ],
  // The independent randomization statistician holds the code and takes no part in the analysis (ICH E9 §2.3):
  // no CDISC export, no lock or unblinding signature, no participant records or audit details.
  randomization_statistician: [
    Permission.ReadStudy,
    Permission.DesignScheme,
    Permission.ReadScheme,
    Permission.ActivateStudy,
    Permission.RunSimulations,
    Permission.ReadAllocationLog,
    Permission.ReadNotifications,
    Permission.ApproveRoleGrants,
    Permission.ViewArms,
    Permission.ReportInadvertentUnblinding,
  ],
  auditor: [
    Permission.ReadStudy,
    Permission.ReadParticipants,
    Permission.ReadAllocationLog,
    Permission.ReadUnblindingRequests,
    Permission.ReadUnblindingRegister,
    Permission.ReadAudit,
    Permission.CreateCheckpoint,
    Permission.ReadNotifications,
    Permission.ReadSafetyUnblindings,
    Permission.ReadInadvertentUnblindings,
    Permission.ReadAccessReview,
    Permission.ReadStudyMembers,
  ],
  // Pharmacovigilance (E6(R3) 3.15.2(d)(iii)): blinded like everyone; it reads the arm only of the patients whose
  // safety unblinding the protocol addressed to this role, through one audited route. No patient list, no audit.
  pharmacovigilance: [
    Permission.ReadStudy,
    Permission.ReadNotifications,
    Permission.ReadSafetyUnblindings,
    Permission.ReceiveSafetyUnblinding,
  ],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/**
 * THE rule: whether a role is blinded while the study is in `studyStatus`. Blinded roles must never
 * receive an arm, sequence or product, nor anything derived from them. An unknown status counts as
 * "not unblinded" (fail closed).
 */
export function isBlindedAt(role: Role, studyStatus: StudyStatus | null | undefined): boolean {
  if (hasPermission(role, Permission.ViewArms)) return false;
  return !(studyStatus === 'unblinded' && hasPermission(role, Permission.ViewArmsAfterUnblinding));
}

/** Blinded whatever the study status (fail closed: the trial statistician counts as blinded). Prefer isBlindedAt. */
export function isBlinded(role: Role): boolean {
  return isBlindedAt(role, null);
}

/**
 * Roles whose grant is held until a second person approves it: the unblinded roles, and those that
 * count in a two-signature or two-person rule (end-of-study unblinding, two-person emergency unblinding).
 */
const SENSITIVE_ROLES: readonly Role[] = [
  'pharmacist',
  'randomization_statistician',
  'statistician',
  'medical_monitor',
  'pharmacovigilance',
];

export function isSensitiveRole(role: Role): boolean {
  return SENSITIVE_ROLES.includes(role);
}

/** Roles whose records are limited to their own sites. */
export function isSiteScoped(role: Role): boolean {
  return role === 'investigator';
}

/**
 * Permissions whose use is an electronic signature (every signed act of shared/signature-meanings.ts
 * is gated by one of these) or that lift the blind: a role holding any of them needs a second factor.
 */
const SIGNING_OR_UNBLINDING: readonly Permission[] = [
  Permission.Randomize,
  Permission.Dispense,
  Permission.CorrectParticipant,
  Permission.RequestUnblinding,
  Permission.DecideUnblinding,
  Permission.ActivateStudy,
  Permission.DesignScheme,
  Permission.LockStudy,
  Permission.UnblindStudy,
  Permission.ApproveRoleGrants,
  Permission.SignAccessReview,
  Permission.CreateStudy,
  Permission.RequestSafetyUnblinding,
  Permission.ReportInadvertentUnblinding,
  Permission.ReceiveSafetyUnblinding,
  Permission.ViewArms,
  Permission.ViewArmsAfterUnblinding,
];

/** THE second-factor rule (issue 16): a role that can sign or unblind signs in with password + TOTP. */
export function requiresSecondFactor(role: Role): boolean {
  return SIGNING_OR_UNBLINDING.some((p) => hasPermission(role, p));
}
