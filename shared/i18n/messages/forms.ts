import type { Namespace } from './types.js';

/** Catalogue namespace "forms" (see shared/i18n/catalogue.ts). */
export const forms: Namespace = {
  en: {},
  fr: {},
};
