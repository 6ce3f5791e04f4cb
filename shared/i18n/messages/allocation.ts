import type { Namespace } from './types.js';

/** Catalogue namespace "allocation" (see shared/i18n/catalogue.ts). */
export const allocation: Namespace = {
  en: {},
  fr: {},
};
