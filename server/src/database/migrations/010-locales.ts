import type { Ddl } from './ddl.js';

/**
 * Language per user and per site (issue 15, French and English). Both columns are nullable and added in
 * place: NULL means "inherit" — a user without a language takes their site's, a site without one takes the
 * instance default (env DEFAULT_LOCALE). Existing rows therefore keep today's behaviour (English by default)
 * until an administrator sets a site or a user to French.
 */
export function locales(_t: Ddl): string[] {
  return ['ALTER TABLE users ADD COLUMN locale VARCHAR(8)', 'ALTER TABLE sites ADD COLUMN locale VARCHAR(8)'];
}

export function localesDown(_t: Ddl): string[] {
  return ['ALTER TABLE sites DROP COLUMN locale', 'ALTER TABLE users DROP COLUMN locale'];
}
