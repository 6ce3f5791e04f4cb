import type { Role } from '../roles.js';
import type { StudyStatus } from './common.js';

/**
 * A study as the study switcher lists it (GET /api/studies): the studies the caller holds a role in, and,
 * for an instance admin, every study of the instance (role null where they hold none: they manage the
 * instance, not the study, and see none of its allocations).
 */
export interface StudyMembershipView {
  code: string;
  title: string;
  status: StudyStatus;
  /** The caller's live role in this study; null: none (an instance admin's view of a study they are not in). */
  role: Role | null;
  siteCodes: string[];
}
