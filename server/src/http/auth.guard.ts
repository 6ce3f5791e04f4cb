/**
 * The one guard: resolves the bearer token to a viewer (401 otherwise), on a study route the caller's role
 * in that study (404 without one: study-access.ts), and checks the route's permissions against the role map
 * in shared/roles.ts (403 otherwise). Routes are private unless
 * marked @Public(). A session that must still enrol its second factor reaches only @AllowDuringEnrolment() routes.
 */
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hasPermission, type Permission } from '../../../shared/roles.js';
import { AuthService } from '../modules/auth/auth.service.js';
import { DomainError } from '../common/domain-error.js';
import { StudyAccess } from './study-access.js';
import { ENROLMENT_KEY, INSTANCE_ADMIN_KEY, PERMISSIONS_KEY, PUBLIC_KEY } from '../common/permissions.js';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly studies: StudyAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: unknown = request.headers?.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    let viewer = await this.auth.authenticate(token);
    // A study route: the caller acts with their role in that study, or the study does not exist for them (404).
    const studyCode: unknown = request.params?.studyCode;
    if (typeof studyCode === 'string') {
      const admitAdmin = this.reflector.getAllAndOverride<boolean>(INSTANCE_ADMIN_KEY, targets) ?? false;
      viewer = await this.studies.scope(viewer, studyCode, admitAdmin);
    }
    request.viewer = viewer;
    if (viewer.enrolmentOnly && !this.reflector.getAllAndOverride<boolean>(ENROLMENT_KEY, targets))
      throw new DomainError(
        'MFA_ENROLMENT_REQUIRED',
        'Your role signs or unblinds, so your account needs a second factor: set up your authenticator app first.',
      );
    const required = this.reflector.getAllAndOverride<Permission[]>(PERMISSIONS_KEY, targets) ?? [];
    const missing = required.filter((p) => !hasPermission(viewer.role, p));
    if (missing.length) throw new DomainError('FORBIDDEN', `Your role (${viewer.role}) may not do this.`);
    return true;
  }
}
