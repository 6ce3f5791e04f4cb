/**
 * The check titles and expectations of a qualification report come from the message catalogue
 * (shared/i18n/messages/qualification.ts), English and French. Reports are written in the
 * site's locale; until users carry a locale (users.locale), English — switch in reportLocale().
 */
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';

export function reportLocale(): Locale {
  return 'en';
}

export function checkText(id: string, locale: Locale = reportLocale()): { title: string; expected: string } {
  return { title: translate(locale, `qualification.check.${id}.title`), expected: translate(locale, `qualification.check.${id}.expected`) };
}
