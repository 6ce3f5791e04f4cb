import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../../../shared/roles.js';

/** The signed-in caller, attached to the request by the auth guard. */
export interface Viewer {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  siteCodes: string[];
  sessionId: string;
}

/** Who a write is attributed to in the audit trail. */
export interface Actor {
  userId: string | null;
  username: string;
  role: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', role: 'system' };

export function actorOf(viewer: Viewer): Actor {
  return { userId: viewer.userId, username: viewer.username, role: viewer.role };
}

/** `@CurrentViewer() viewer: Viewer` in a controller method. */
export const CurrentViewer = createParamDecorator((_: unknown, ctx: ExecutionContext): Viewer => {
  return ctx.switchToHttp().getRequest().viewer;
});
