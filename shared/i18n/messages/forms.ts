import type { Namespace } from './types.js';

/** Catalogue namespace "forms" (see shared/i18n/catalogue.ts): the shell's menu, drafts, leaving a form, field checks. */
export const forms: Namespace = {
  en: {
    openMenu: 'Menu',
    closeMenu: 'Close menu',
  },
  fr: {
    openMenu: 'Menu',
    closeMenu: 'Fermer le menu',
  },
};
