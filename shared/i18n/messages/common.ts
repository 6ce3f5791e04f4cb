import type { Namespace } from './types.js';

/** Catalogue namespace "common" (see shared/i18n/catalogue.ts): words used on many pages. */
export const common: Namespace = {
  en: {
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    language: 'Language',
    records_one: '{count} record',
    records_other: '{count} records',
  },
  fr: {
    cancel: 'Annuler',
    close: 'Fermer',
    save: 'Enregistrer',
    language: 'Langue',
    records_one: '{count} enregistrement',
    records_other: '{count} enregistrements',
  },
};
