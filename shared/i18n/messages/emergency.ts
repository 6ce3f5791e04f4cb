import type { Namespace } from './types.js';

/** Catalogue namespace "emergency" (see shared/i18n/catalogue.ts). */
export const emergency: Namespace = {
  en: {},
  fr: {},
};
