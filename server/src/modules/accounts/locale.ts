/**
 * Which language a person reads: their own choice, else their site's, else the instance default
 * (DEFAULT_LOCALE). Notifications and e-mails are written in the recipient's language with
 * translate(recipientLocale(...), 'ns.key', params); the API's error messages stay English (the contract).
 */
import { isLocale, LOCALES, type Locale } from '../../../../shared/i18n/catalogue.js';
import type { Sql } from '../../database/sql.js';
import { SitesRepository } from '../sites/sites.repository.js';
import type { UserRecord } from './user.record.js';

/** The validation message of a request's `locale` (users' and the signed-in person's own). */
export const LOCALE_MESSAGE = `locale must be one of ${LOCALES.join(', ')} (or null: the site's language)`;

/** The first of the user's sites (in code order) that names a language decides, so the answer is stable. */
export function effectiveLocale(
  user: Pick<UserRecord, 'locale' | 'siteCodes'>,
  siteLocale: (code: string) => string | null | undefined,
  fallback: Locale,
): Locale {
  if (isLocale(user.locale)) return user.locale;
  for (const code of [...user.siteCodes].sort()) {
    const l = siteLocale(code);
    if (isLocale(l)) return l;
  }
  return fallback;
}

/** The recipient's effective language, read in the caller's transaction (sites may have just changed). */
export async function recipientLocale(
  sql: Sql,
  user: Pick<UserRecord, 'locale' | 'siteCodes'>,
  fallback: Locale,
): Promise<Locale> {
  if (isLocale(user.locale)) return user.locale;
  const sites = new Map((await SitesRepository.list(sql)).map((s) => [s.code, s.locale]));
  return effectiveLocale(user, (code) => sites.get(code), fallback);
}
