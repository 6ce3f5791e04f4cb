import type { Namespace } from './types.js';

/** Catalogue namespace "signing" (see shared/i18n/catalogue.ts): signature dialogs, signed records, password failures. */
export const signing: Namespace = {
  en: {
    attemptsLeft_one: 'Check it and try again: {count} attempt remains before the account is locked.',
    attemptsLeft_other: 'Check it and try again: {count} attempts remain before the account is locked.',
    accountLocked: 'The account is now locked: ask an administrator to unlock it.',
    cosignerWrong:
      'The second statistician’s username or password is not correct (your own password was accepted). Nothing was changed.',
    cosignerAttemptsLeft_one:
      'The second statistician should check and enter them again: {count} attempt remains before their account is locked.',
    cosignerAttemptsLeft_other:
      'The second statistician should check and enter them again: {count} attempts remain before their account is locked.',
    cosignerLocked: 'The second statistician’s account is now locked: an administrator must unlock it.',
    stratum: 'Stratum',
    eligibility: 'Eligibility',
    eligibleAll_one: 'Eligible: the {count} criterion answered at registration is met.',
    eligibleAll_other: 'Eligible: all {count} criteria answered at registration are met.',
    eligibleChecked: 'Eligible: the criteria were checked at registration.',
    signedBy: 'Signed by {name}',
    signatures: 'Signatures',
    approved: 'Approved',
    denied: 'Denied',
    reviewed: 'Reviewed',
    requested: 'Request',
  },
  fr: {
    attemptsLeft_one: 'Vérifiez-le et réessayez : il reste {count} tentative avant le verrouillage du compte.',
    attemptsLeft_other: 'Vérifiez-le et réessayez : il reste {count} tentatives avant le verrouillage du compte.',
    accountLocked: 'Le compte est maintenant verrouillé : demandez à un administrateur de le déverrouiller.',
    cosignerWrong:
      'L’identifiant ou le mot de passe du second statisticien est incorrect (votre propre mot de passe a été accepté). Rien n’a été modifié.',
    cosignerAttemptsLeft_one:
      'Le second statisticien doit les vérifier et les saisir à nouveau : il lui reste {count} tentative avant le verrouillage de son compte.',
    cosignerAttemptsLeft_other:
      'Le second statisticien doit les vérifier et les saisir à nouveau : il lui reste {count} tentatives avant le verrouillage de son compte.',
    cosignerLocked:
      'Le compte du second statisticien est maintenant verrouillé : un administrateur doit le déverrouiller.',
    stratum: 'Strate',
    eligibility: 'Éligibilité',
    eligibleAll_one: 'Éligible : {count} critère renseigné à l’inclusion est rempli.',
    eligibleAll_other: 'Éligible : les {count} critères renseignés à l’inclusion sont tous remplis.',
    eligibleChecked: 'Éligible : les critères ont été vérifiés à l’inclusion.',
    signedBy: 'Signé par {name}',
    signatures: 'Signatures',
    approved: 'Approuvée',
    denied: 'Refusée',
    reviewed: 'Revue',
    requested: 'Demande',
  },
};
