import type { Namespace } from './types.js';

/** Catalogue namespace "pharmacy" (see shared/i18n/catalogue.ts). */
export const pharmacy: Namespace = {
  en: {},
  fr: {},
};
