import type { Namespace } from './types.js';

/** Catalogue namespace "time" (see shared/i18n/catalogue.ts). */
export const time: Namespace = {
  en: {},
  fr: {},
};
