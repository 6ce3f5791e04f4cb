import type { Namespace } from './types.js';

/** Catalogue namespace "audit" (see shared/i18n/catalogue.ts). */
export const audit: Namespace = {
  en: {},
  fr: {},
};
