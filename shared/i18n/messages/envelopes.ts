import type { Namespace } from './types.js';

/** Catalogue namespace "envelopes" (see shared/i18n/catalogue.ts). */
export const envelopes: Namespace = {
  en: {},
  fr: {},
};
