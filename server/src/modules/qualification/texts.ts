/**
 * The check titles and expectations of a qualification report come from the message catalogue
 * (shared/i18n/messages/qualification.ts), English and French. A report is written in the language
 * of the person who runs it (accounts/locale.ts), who files and signs for it.
 */
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';

export function checkText(id: string, locale: Locale): { title: string; expected: string } {
  return {
    title: translate(locale, `qualification.check.${id}.title`),
    expected: translate(locale, `qualification.check.${id}.expected`),
  };
}
