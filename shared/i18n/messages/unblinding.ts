import type { Namespace } from './types.js';

/** Catalogue namespace "unblinding" (see shared/i18n/catalogue.ts): unblinding requests, decisions, reveal, register. */
export const unblinding: Namespace = {
  en: {
    'policy.monitor-approval': 'monitor approval',
    'policy.two-person': 'two-person approval',
    'policy.break-the-glass': 'break-the-glass',
    'policyText.break-the-glass': 'The allocation is revealed to you at once; the medical monitor is notified and reviews it afterwards.',
    'policyText.monitor-approval': 'The medical monitor approves or denies the request; you are notified and can then see the allocation.',
    'policyText.two-person': 'Two approvers must approve the request before you can see the allocation.',
  },
  fr: {
    'policy.monitor-approval': 'approbation du moniteur médical',
    'policy.two-person': 'double approbation',
    'policy.break-the-glass': 'bris de glace',
    'policyText.break-the-glass': 'L\'allocation vous est révélée immédiatement ; le moniteur médical est prévenu et examine la levée d\'insu ensuite.',
    'policyText.monitor-approval': 'Le moniteur médical approuve ou refuse la demande ; vous êtes prévenu et pouvez alors voir l\'allocation.',
    'policyText.two-person': 'Deux approbateurs doivent approuver la demande avant que vous puissiez voir l\'allocation.',
  },
};
