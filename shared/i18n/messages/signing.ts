import type { Namespace } from './types.js';

/** Catalogue namespace "signing" (see shared/i18n/catalogue.ts). */
export const signing: Namespace = {
  en: {},
  fr: {},
};
