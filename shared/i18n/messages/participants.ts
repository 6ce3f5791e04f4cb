import type { Namespace } from './types.js';

/** Catalogue namespace "participants" (see shared/i18n/catalogue.ts). */
export const participants: Namespace = {
  en: {},
  fr: {},
};
