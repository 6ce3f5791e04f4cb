import type { Namespace } from './types.js';

/** Catalogue namespace "time" (see shared/i18n/catalogue.ts): how times and dates are shown and typed. */
export const time: Namespace = {
  en: {
    shownIn: 'Times are shown in {zone}, with the offset from UTC beside each one.',
    fromLabel: 'From (your time)',
    toLabel: 'To (your time)',
    isoPlaceholder: 'yyyy-mm-dd hh:mm',
    isoHint:
      'Dates as yyyy-mm-dd, optionally followed by a time (hh:mm or hh:mm:ss). A date alone in “To” includes the whole day.',
    invalidIsoDate:
      '“{value}” is not a date in the form yyyy-mm-dd (optionally followed by hh:mm). Correct it and apply the filters again.',
  },
  fr: {
    shownIn: 'Les heures sont affichées dans le fuseau {zone}, avec le décalage par rapport à UTC à côté de chacune.',
    fromLabel: 'Du (votre heure)',
    toLabel: 'Au (votre heure)',
    isoPlaceholder: 'aaaa-mm-jj hh:mm',
    isoHint:
      'Dates au format aaaa-mm-jj, éventuellement suivies d’une heure (hh:mm ou hh:mm:ss). Une date seule dans « Au » inclut toute la journée.',
    invalidIsoDate:
      '« {value} » n’est pas une date au format aaaa-mm-jj (éventuellement suivie de hh:mm). Corrigez-la puis appliquez à nouveau les filtres.',
  },
};
