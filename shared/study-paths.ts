/**
 * Paths that name a study (docs/MULTI-STUDY.md decisions 5 and 9), shared by the server and the console so that
 * both sides draw the line between instance and study in one place.
 */

/** First segments under /api that belong to the instance, not to a study (every other API path is a study's). */
export const INSTANCE_API_ROOTS: ReadonlySet<string> = new Set([
  'auth',
  'users',
  'sites',
  'role-grants',
  'admin',
  'health',
  'studies',
  'docs',
  'docs-json',
]);

/** A console page of a study: `/s/<code>/<page>` (a link in a notice, an e-mail or on a printed card). */
export const studyPagePath = (code: string, page = ''): string =>
  `/s/${encodeURIComponent(code)}/${page.replace(/^\//, '')}`;
