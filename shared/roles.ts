/**
 * Roles and permissions are data: one map from role to permissions, read by the server's
 * guard and by the console's router and navigation. Blinded is the default; seeing arms
 * is the explicit `ViewArms` permission.
 */
export const ROLES = ['admin', 'investigator', 'pharmacist', 'medical_monitor', 'statistician', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export enum Permission {
  ReadStudy = 'study:read',
  DesignScheme = 'scheme:design',
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
  /** The one permission that lifts the blind. */
  ViewArms = 'arms:view',
}

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [Permission.ReadStudy, Permission.ReadAudit, Permission.CreateCheckpoint, Permission.ManageUsers, Permission.ManageSites, Permission.ReadNotifications],
  investigator: [
    Permission.ReadStudy, Permission.RegisterParticipant, Permission.ReadParticipants, Permission.Randomize,
    Permission.CorrectParticipant, Permission.RequestUnblinding, Permission.ReadUnblindingRequests, Permission.ReadNotifications,
  ],
  pharmacist: [
    Permission.ReadStudy, Permission.ReadParticipants, Permission.ReadPharmacyTasks, Permission.Dispense,
    Permission.ReadAllocationLog, Permission.ReadNotifications, Permission.ViewArms,
  ],
  medical_monitor: [
    Permission.ReadStudy, Permission.ReadParticipants, Permission.ReadUnblindingRequests, Permission.DecideUnblinding,
    Permission.ReadNotifications,
  ],
  statistician: [
    Permission.ReadStudy, Permission.DesignScheme, Permission.ActivateStudy, Permission.LockStudy, Permission.UnblindStudy,
    Permission.RunSimulations, Permission.ReadParticipants, Permission.CorrectParticipant, Permission.ReadAllocationLog,
    Permission.ExportCdisc, Permission.ReadAudit, Permission.ReadNotifications, Permission.ViewArms,
  ],
  auditor: [
    Permission.ReadStudy, Permission.ReadParticipants, Permission.ReadAllocationLog, Permission.ReadUnblindingRequests,
    Permission.ReadUnblindingRegister, Permission.ReadAudit, Permission.CreateCheckpoint, Permission.ReadNotifications,
  ],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Blinded roles must never receive an arm, sequence or product, nor anything derived from them. */
export function isBlinded(role: Role): boolean {
  return !hasPermission(role, Permission.ViewArms);
}

/** Roles whose records are limited to their own sites. */
export function isSiteScoped(role: Role): boolean {
  return role === 'investigator';
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Administrator',
  investigator: 'Investigator',
  pharmacist: 'Pharmacist / cell lab',
  medical_monitor: 'Medical monitor',
  statistician: 'Statistician',
  auditor: 'Auditor',
};
