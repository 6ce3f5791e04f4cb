import type { Namespace } from './types.js';

/**
 * Catalogue namespace "emails" (see shared/i18n/catalogue.ts): subjects and bodies of e-mails, in the recipient's
 * language. E-mails name only the kind of event and ask the reader to sign in (details stay behind sign-in).
 */
export const emails: Namespace = {
  en: {
    subject: '[blindrand] {title}',
    signInToView: 'Sign in to blindrand to view it.',
    signInToReview: 'Sign in to blindrand to review it.',
    requestReference: 'Request reference: {id}',
    btgSubject: 'An emergency unblinding needs your review',
    btgLead:
      'An investigator broke the blind for a patient under the break-the-glass policy; the request needs your review.',
    requestedSubject: 'An unblinding request needs a decision',
    requestedLead: 'An unblinding request needs a decision.',
    secondSubject: 'An unblinding request needs a second approver',
    secondLead: 'An unblinding request has one approval and needs a second, different approver.',
    decisionSubject: 'A decision was made on your unblinding request',
    decisionLead: 'A decision was made on your unblinding request.',
    revealedSubject: 'A patient was unblinded',
    revealedLead:
      "A patient's allocation was shown to the requesting investigator; the patient is now marked unblinded.",
    studyLockedText:
      'The database of {study} was locked. Randomization, corrections, dispensing and unblinding requests are closed.',
    studyUnblindedText: 'The end-of-study unblinding was signed by two statisticians.',
    setPasswordSubject: 'Set your password',
    accountCreated: 'An account was created for you (username: {username}).',
    resetRequested: 'A password reset was requested for your account (username: {username}).',
    setPasswordHere_one: 'Set your password here (the link works once and expires in {count} hour):',
    setPasswordHere_other: 'Set your password here (the link works once and expires in {count} hours):',
    notExpected: "If you did not expect this e-mail, tell your study's administrator.",
  },
  fr: {
    subject: '[blindrand] {title}',
    signInToView: 'Connectez-vous à blindrand pour la consulter.',
    signInToReview: "Connectez-vous à blindrand pour l'examiner.",
    requestReference: 'Référence de la demande : {id}',
    btgSubject: "Une levée d'insu en urgence doit être examinée",
    btgLead:
      "Un investigateur a levé l'insu d'un patient selon la procédure « bris de glace » ; la demande doit être examinée.",
    requestedSubject: "Une demande de levée d'insu attend une décision",
    requestedLead: "Une demande de levée d'insu attend une décision.",
    secondSubject: "Une demande de levée d'insu attend un second approbateur",
    secondLead:
      "Une demande de levée d'insu a reçu une approbation et attend un second approbateur, différent du premier.",
    decisionSubject: "Une décision a été prise sur votre demande de levée d'insu",
    decisionLead: "Une décision a été prise sur votre demande de levée d'insu.",
    revealedSubject: "L'insu d'un patient a été levé",
    revealedLead:
      "L'allocation d'un patient a été affichée à l'investigateur demandeur ; le patient est désormais marqué « insu levé ».",
    studyLockedText:
      "La base de données de l'étude {study} a été verrouillée. Randomisations, corrections, dispensations et demandes de levée d'insu sont closes.",
    studyUnblindedText: "La levée d'insu de fin d'étude a été signée par deux statisticiens.",
    setPasswordSubject: 'Définissez votre mot de passe',
    accountCreated: 'Un compte a été créé pour vous (identifiant : {username}).',
    resetRequested: 'Une réinitialisation du mot de passe de votre compte a été demandée (identifiant : {username}).',
    setPasswordHere_one:
      "Définissez votre mot de passe ici (le lien ne sert qu'une fois et expire dans {count} heure) :",
    setPasswordHere_other:
      "Définissez votre mot de passe ici (le lien ne sert qu'une fois et expire dans {count} heures) :",
    notExpected: "Si vous n'attendiez pas ce message, prévenez l'administrateur de votre étude.",
  },
};
