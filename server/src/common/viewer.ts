import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { StudyStatus } from '../../../shared/contract.js';
import { isBlindedAt, type Role } from '../../../shared/roles.js';

/** The signed-in caller, attached to the request by the auth guard. */
export interface Viewer {
  userId: string;
  username: string;
  displayName: string;
  /**
   * On a study route (`/api/studies/:studyCode/...`): the caller's role in that study (study_roles).
   * On an instance route: the account's own role (users.role; `admin` is what instance routes check).
   */
  role: Role;
  /** The sites the role covers, in the same sense as `role`. */
  siteCodes: string[];
  /** The study of a study route (resolved by the guard from the route's code); undefined on instance routes. */
  studyId?: number;
  studyCode?: string;
  sessionId: string;
  /**
   * The study's status when this request was authenticated. Missing means unknown and counts as
   * not unblinded (fail closed). `unblinded` is terminal, so a snapshot can only err on the blind side.
   */
  studyStatus?: StudyStatus;
  /** The role needs a second factor the account does not have yet: the session may only enrol (issue 16). */
  enrolmentOnly?: boolean;
  /** When the session's first full signature (password + code) was made; null or missing before it. */
  fullSignatureAt?: string | null;
  /** The session was opened through the identity provider (signatures re-authenticate there). */
  viaProvider?: boolean;
  /** The account has a second factor enrolled (a study role that signs then needs no enrolment). */
  secondFactorEnrolled?: boolean;
}

/** The one place a request's blindness is decided: by role and study status (shared/roles.ts isBlindedAt). */
export function isBlindedViewer(viewer: Pick<Viewer, 'role' | 'studyStatus'>): boolean {
  return isBlindedAt(viewer.role, viewer.studyStatus);
}

/** Who a write is attributed to in the audit trail. */
export interface Actor {
  userId: string | null;
  username: string;
  role: string;
  /**
   * The study the actor acts in (from the route): a write transaction opened for this actor writes that
   * study's rows and chain unless its options name another. Undefined: the first study (instance writes).
   */
  studyId?: number;
}

export { SYSTEM_ACTOR } from './system-actor.js';

export function actorOf(viewer: Viewer): Actor {
  return { userId: viewer.userId, username: viewer.username, role: viewer.role, studyId: viewer.studyId };
}

/** `@CurrentViewer() viewer: Viewer` in a controller method. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext): Viewer => {
  return ctx.switchToHttp().getRequest().viewer;
});
