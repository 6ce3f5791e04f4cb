import type { Namespace } from './types.js';

/**
 * Catalogue namespace "notifications" (see shared/i18n/catalogue.ts): inbox titles and bodies, written in the
 * recipient's language by the server. None names an arm, product or sequence (the recipients may be blinded).
 * {patient} is the `patient` sentence below, already translated.
 */
export const notifications: Namespace = {
  en: {
    unread_one: '{count} unread',
    unread_other: '{count} unread',
    empty: 'No notifications.',
    markRead: 'Mark as read',
    inboxUnavailable: 'The notification inbox could not be loaded.',
    neutralTitle: 'You have a new notification',
    neutralBody:
      "Sign in to blindrand to view it. For the patient's safety and the trial's blinding, details are shown only in the console.",
    patient: 'patient {screening} (site {site})',
    emergencyPrefix: 'Emergency: ',
    btgTitle: '{urgent}blind broken for {patient}',
    btgBody:
      '{requester} broke the blind for {patient} under the break-the-glass policy. Reason given: {reason}. Please review the request.',
    requestedTitle: '{urgent}unblinding request for {patient}',
    requestedBody: '{requester} asks to unblind {patient} (policy {policy}: {needs}). Reason given: {reason}.',
    needsTwoApprovers: 'two different approvers',
    needsYourDecision: 'your decision',
    secondTitle: 'Second approval needed for {patient}',
    secondBody:
      '{approver} approved the unblinding request for {patient}; the two-person policy needs a second, different approver.',
    approvedTitle: 'Your unblinding request for {patient} was approved',
    approvedBody:
      '{by} approved your unblinding request for {patient} (approved: you can now view the allocation in the console). Comment: {comment}',
    deniedTitle: 'Your unblinding request for {patient} was denied',
    deniedBody: '{by} denied your unblinding request for {patient} (denied). Comment: {comment}',
    reviewedTitle: 'Your unblinding request for {patient} was reviewed',
    reviewedBody:
      '{by} reviewed your unblinding request for {patient} (reviewed by the medical monitor). Comment: {comment}',
    revealedTitle: 'Allocation of {patient} viewed by the requester',
    revealedBody: '{requester} viewed the allocation of {patient}. The patient is now marked unblinded.',
    studyLockedTitle: 'Study {study} is locked',
    studyLockedBody:
      'The database of {study} was locked by {by}. Randomization, corrections, dispensing and unblinding requests are closed.',
    studyUnblindedTitle: 'The study was unblinded',
    studyUnblindedBody:
      "{first} and {second} signed the end-of-study unblinding. The allocation key, the CDISC export and the scheme's seed and salt are released to statisticians.",
    withheldTitle: 'The blinding guard withheld part of an answer',
    withheldBody_one:
      'An answer to {who} on {route} named an arm or product; the blinding guard withheld {count} value ({paths}). Find the text it came from and correct it.',
    withheldBody_other:
      'An answer to {who} on {route} named an arm or product; the blinding guard withheld {count} values ({paths}). Find the text it came from and correct it.',
    anonymousCaller: 'an anonymous caller',
    grantRequestedTitle: 'Role grant requested: {kind} of {username} ({role})',
    grantApprovedTitle: 'Role grant approved: {kind} of {username} ({role})',
    grantRejectedTitle: 'Role grant rejected: {kind} of {username} ({role})',
    grantRequestedBody:
      '{by} asked to give {name} ({username}) the role {role} ({kind}). It takes effect only when a second, independent admin or randomization statistician approves it.',
    grantApprovedBody: '{by} approved the {kind} of {name} ({username}) as {role}.',
    grantRejectedBody: '{by} rejected the {kind} of {name} ({username}) as {role}.',
  },
  fr: {
    unread_one: '{count} non lue',
    unread_other: '{count} non lues',
    empty: 'Aucune notification.',
    markRead: 'Marquer comme lue',
    inboxUnavailable: "La boîte de notifications n'a pas pu être chargée.",
    neutralTitle: 'Vous avez une nouvelle notification',
    neutralBody:
      "Connectez-vous à blindrand pour la consulter. Pour la sécurité du patient et le maintien de l'insu, les détails ne sont affichés que dans la console.",
    patient: 'patient {screening} (centre {site})',
    emergencyPrefix: 'Urgence : ',
    btgTitle: '{urgent}insu levé pour le {patient}',
    btgBody:
      "{requester} a levé l'insu du {patient} selon la procédure « bris de glace ». Motif indiqué : {reason}. Merci d'examiner la demande.",
    requestedTitle: "{urgent}demande de levée d'insu pour le {patient}",
    requestedBody:
      "{requester} demande la levée d'insu du {patient} (procédure {policy} : {needs}). Motif indiqué : {reason}.",
    needsTwoApprovers: 'deux approbateurs différents',
    needsYourDecision: 'votre décision',
    secondTitle: 'Seconde approbation requise pour le {patient}',
    secondBody:
      "{approver} a approuvé la demande de levée d'insu du {patient} ; la procédure à double approbation exige un second approbateur, différent du premier.",
    approvedTitle: "Votre demande de levée d'insu pour le {patient} a été approuvée",
    approvedBody:
      "{by} a approuvé votre demande de levée d'insu pour le {patient} : vous pouvez maintenant consulter l'allocation dans la console. Commentaire : {comment}",
    deniedTitle: "Votre demande de levée d'insu pour le {patient} a été refusée",
    deniedBody: "{by} a refusé votre demande de levée d'insu pour le {patient}. Commentaire : {comment}",
    reviewedTitle: "Votre demande de levée d'insu pour le {patient} a été examinée",
    reviewedBody:
      "{by} a examiné votre demande de levée d'insu pour le {patient} (revue par le moniteur médical). Commentaire : {comment}",
    revealedTitle: 'Allocation du {patient} consultée par le demandeur',
    revealedBody: "{requester} a consulté l'allocation du {patient}. Le patient est désormais marqué « insu levé ».",
    studyLockedTitle: "L'étude {study} est verrouillée",
    studyLockedBody:
      "La base de données de l'étude {study} a été verrouillée par {by}. Randomisations, corrections, dispensations et demandes de levée d'insu sont closes.",
    studyUnblindedTitle: "La levée d'insu de l'étude a eu lieu",
    studyUnblindedBody:
      "{first} et {second} ont signé la levée d'insu de fin d'étude. La clé d'allocation, l'export CDISC ainsi que la graine et le sel du schéma sont mis à disposition des statisticiens.",
    withheldTitle: "Le garde-fou de l'insu a retenu une partie d'une réponse",
    withheldBody_one:
      "Une réponse à {who} sur {route} nommait un bras ou un produit ; le garde-fou de l'insu a retenu {count} valeur ({paths}). Retrouvez le texte d'origine et corrigez-le.",
    withheldBody_other:
      "Une réponse à {who} sur {route} nommait un bras ou un produit ; le garde-fou de l'insu a retenu {count} valeurs ({paths}). Retrouvez le texte d'origine et corrigez-le.",
    anonymousCaller: 'un appelant anonyme',
    grantRequestedTitle: 'Attribution de rôle demandée : {kind} de {username} ({role})',
    grantApprovedTitle: 'Attribution de rôle approuvée : {kind} de {username} ({role})',
    grantRejectedTitle: 'Attribution de rôle refusée : {kind} de {username} ({role})',
    grantRequestedBody:
      "{by} a demandé d'attribuer à {name} ({username}) le rôle {role} ({kind}). Cela ne prend effet qu'après l'approbation d'un second administrateur ou statisticien de randomisation, indépendant.",
    grantApprovedBody: '{by} a approuvé : {kind} de {name} ({username}), rôle {role}.',
    grantRejectedBody: '{by} a refusé : {kind} de {name} ({username}), rôle {role}.',
  },
};
