import type { Namespace } from './types.js';

/** Catalogue namespace "auth" (see shared/i18n/catalogue.ts). */
export const auth: Namespace = {
  en: {},
  fr: {},
};
