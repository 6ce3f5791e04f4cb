import type { Namespace } from './types.js';

/** Catalogue namespace "emails" (see shared/i18n/catalogue.ts). */
export const emails: Namespace = {
  en: {},
  fr: {},
};
