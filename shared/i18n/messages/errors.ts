import type { Namespace } from './types.js';

/** Catalogue namespace "errors" (see shared/i18n/catalogue.ts). */
export const errors: Namespace = {
  en: {},
  fr: {},
};
