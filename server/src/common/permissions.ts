import { SetMetadata } from '@nestjs/common';
import type { Permission } from '../../../shared/roles.js';

export const PERMISSIONS_KEY = 'blindrand:permissions';
export const PUBLIC_KEY = 'blindrand:public';

/** The caller's role must hold every listed permission (shared/roles.ts). */
export const RequirePermission = (...permissions: Permission[]) => SetMetadata(PERMISSIONS_KEY, permissions);

/** No sign-in needed (health, login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const ENROLMENT_KEY = 'blindrand:enrolment';

/**
 * Open to a session that must still set up its second factor (issue 16): sign-out, /auth/me and the
 * enrolment itself. Every other route answers such a session 403 MFA_ENROLMENT_REQUIRED.
 */
export const AllowDuringEnrolment = () => SetMetadata(ENROLMENT_KEY, true);

export const INSTANCE_ADMIN_KEY = 'blindrand:instance-admin';

/**
 * On a study route: an instance admin acts there as the instance admin (role `admin`, no sites), whatever role
 * they hold in the study or none (http/study-access.ts). Only for the routes that administer a study's
 * membership: an instance admin manages studies they take no part in, and sees none of their trial data.
 */
export const AdmitInstanceAdmin = () => SetMetadata(INSTANCE_ADMIN_KEY, true);
