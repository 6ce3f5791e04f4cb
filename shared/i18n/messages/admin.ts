import type { Namespace } from './types.js';

/** Catalogue namespace "admin" (see shared/i18n/catalogue.ts). */
export const admin: Namespace = {
  en: {},
  fr: {},
};
