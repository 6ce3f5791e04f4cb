import type { Namespace } from './types.js';

/** Catalogue namespace "safety" (see shared/i18n/catalogue.ts). */
export const safety: Namespace = {
  en: {},
  fr: {},
};
