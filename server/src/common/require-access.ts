import { isSiteScoped } from '../../../shared/roles.js';
import { DomainError } from './domain-error.js';
import type { Viewer } from './viewer.js';

/**
 * Site scope for every record read: an investigator sees only records of their own sites. Another
 * site's record answers 404, exactly like one that does not exist, so its existence is not revealed.
 */
export function requireAccess<T extends { siteCode: string }>(
  viewer: Viewer,
  record: T | null | undefined,
  what = 'The record',
): T {
  if (!record) throw new DomainError('NOT_FOUND', `${what} was not found.`);
  if (isSiteScoped(viewer.role) && !viewer.siteCodes.includes(record.siteCode)) {
    throw new DomainError('NOT_FOUND', `${what} was not found.`);
  }
  return record;
}

/** Whether a site-scoped viewer may act at this site (for creating records). */
export function canActAtSite(viewer: Viewer, siteCode: string): boolean {
  return !isSiteScoped(viewer.role) || viewer.siteCodes.includes(siteCode);
}
