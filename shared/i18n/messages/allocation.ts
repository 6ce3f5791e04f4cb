import type { Namespace } from './types.js';

/** Catalogue namespace "allocation" (see shared/i18n/catalogue.ts): the allocation log. */
export const allocation: Namespace = {
  en: {
    intro: 'Who randomized whom, when and in which stratum, in randomization order.',
    empty: 'No patient has been randomized yet.',
    inError: 'in error',
  },
  fr: {
    intro: "Qui a randomisé quel patient, quand et dans quelle strate, dans l'ordre de randomisation.",
    empty: "Aucun patient n'a encore été randomisé.",
    inError: 'par erreur',
  },
};
