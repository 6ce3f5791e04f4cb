/**
 * Server sentences of this module, from the catalogue (shared/i18n/messages/envelopes.ts). The
 * recipient's locale is not stored yet (users.locale is another engineer's work): one place to switch.
 */
import { translate, type Locale, type MessageParams } from '../../../../shared/i18n/catalogue.js';

const serverLocale = (): Locale => 'en';

export const msg = (key: string, params: MessageParams = {}) => translate(serverLocale(), `envelopes.${key}`, params);
