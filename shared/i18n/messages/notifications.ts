import type { Namespace } from './types.js';

/** Catalogue namespace "notifications" (see shared/i18n/catalogue.ts). */
export const notifications: Namespace = {
  en: {},
  fr: {},
};
