import type { Namespace } from './types.js';

/** Catalogue namespace "nav" (see shared/i18n/catalogue.ts). */
export const nav: Namespace = {
  en: {},
  fr: {},
};
