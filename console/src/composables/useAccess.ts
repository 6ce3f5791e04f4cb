import { useSessionStore } from '../stores/session.js';
import type { Permission } from '../../../shared/roles.js';

/** Hides actions the role may not take; the server still decides. */
export function useAccess() {
  const session = useSessionStore();
  return { can: (p: Permission) => session.can(p), session };
}
