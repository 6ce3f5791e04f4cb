import type { Namespace } from './types.js';

/** Catalogue namespace "statistician" (see shared/i18n/catalogue.ts). */
export const statistician: Namespace = {
  en: {},
  fr: {},
};
