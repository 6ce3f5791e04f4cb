import type { Namespace } from './types.js';

/** Catalogue namespace "forms" (see shared/i18n/catalogue.ts): the shell's menu, drafts, leaving a form, field checks. */
export const forms: Namespace = {
  en: {
    openMenu: 'Menu',
    closeMenu: 'Close menu',
    leaveConfirm: 'This form has entries that are not saved yet. Leave it anyway? (Your entries are discarded.)',
    draftRestored: 'Your unsaved entries on this form were restored. Check them, then submit.',
    lotFormat:
      '“{lot}” is not a lot number: use 1 to 64 letters, digits, dots, dashes, slashes or underscores, starting with a letter or a digit. Correct it to continue to the signature.',
    stratumSite: 'Site',
  },
  fr: {
    openMenu: 'Menu',
    closeMenu: 'Fermer le menu',
    leaveConfirm:
      'Ce formulaire contient des saisies non enregistrées. Le quitter quand même ? (Vos saisies seront perdues.)',
    draftRestored: 'Vos saisies non enregistrées dans ce formulaire ont été restaurées. Vérifiez-les, puis validez.',
    lotFormat:
      '« {lot} » n’est pas un numéro de lot : utilisez de 1 à 64 lettres, chiffres, points, tirets, barres obliques ou tirets bas, en commençant par une lettre ou un chiffre. Corrigez-le pour passer à la signature.',
    stratumSite: 'Site',
  },
};
