import type { Namespace } from './types.js';

/** Catalogue namespace "unblinding" (see shared/i18n/catalogue.ts): unblinding requests, decisions, reveal, register. */
export const unblinding: Namespace = {
  en: {
    'policy.monitor-approval': 'monitor approval',
    'policy.two-person': 'two-person approval',
    'policy.break-the-glass': 'break-the-glass',
  },
  fr: {
    'policy.monitor-approval': 'approbation du moniteur médical',
    'policy.two-person': 'double approbation',
    'policy.break-the-glass': 'bris de glace',
  },
};
