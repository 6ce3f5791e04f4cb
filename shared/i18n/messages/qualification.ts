import type { Namespace } from './types.js';

/** Catalogue namespace "qualification" (see shared/i18n/catalogue.ts). */
export const qualification: Namespace = {
  en: {},
  fr: {},
};
