import type { Namespace } from './types.js';

/** Catalogue namespace "unblinding" (see shared/i18n/catalogue.ts). */
export const unblinding: Namespace = {
  en: {},
  fr: {},
};
