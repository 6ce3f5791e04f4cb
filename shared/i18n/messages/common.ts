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
    'role.admin': 'Administrator',
    'role.investigator': 'Investigator',
    'role.pharmacist': 'Pharmacist / cell lab',
    'role.medical_monitor': 'Medical monitor',
    'role.statistician': 'Trial statistician',
    'role.randomization_statistician': 'Randomization statistician',
    'role.auditor': 'Auditor',
  },
  fr: {
    cancel: 'Annuler',
    close: 'Fermer',
    save: 'Enregistrer',
    language: 'Langue',
    records_one: '{count} enregistrement',
    records_other: '{count} enregistrements',
    'role.admin': 'Administrateur',
    'role.investigator': 'Investigateur',
    'role.pharmacist': 'Pharmacien / unité de thérapie cellulaire',
    'role.medical_monitor': 'Moniteur médical',
    'role.statistician': 'Statisticien de l\'essai',
    'role.randomization_statistician': 'Statisticien de randomisation',
    'role.auditor': 'Auditeur',
  },
};
