import type { Namespace } from './types.js';

/**
 * Catalogue namespace "errors" (see shared/i18n/catalogue.ts): one sentence per error code of shared/errors.ts,
 * and "<CODE>.<variant>" for frequent server messages the console recognises (console/src/api/error-sentences.ts).
 * Each says what happened and what to do next, once.
 */
export const errors: Namespace = {
  en: {
    NETWORK: 'The server could not be reached. Check the connection and retry.',
    UNEXPECTED: 'Something unexpected happened in the console. Reload the page and retry.',
    VALIDATION_FAILED: 'Some of the values entered are not valid.',
    BLINDING_RISK:
      'The text names an arm or product of the trial, which blinded users would read. Reword it without that word.',
    JSON_TOO_DEEP: 'The request is nested too deeply to be read.',
    NUMBER_NOT_FINITE: 'A number in the request is too large or not a number.',
    SIGNATURE_MEANING_MISMATCH: 'The meaning of this signature is fixed by the system; reload the page and sign again.',
    IDEMPOTENCY_KEY_REQUIRED: 'The request was missing its idempotency key; please retry.',
    UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
    SIGNATURE_INVALID: 'The password for your signature was not correct. Nothing was changed.',
    FORBIDDEN: 'Your role does not allow this action.',
    MFA_ENROLMENT_REQUIRED: 'Your account needs a second factor first: set up your authenticator app.',
    NOT_FOUND: 'That record does not exist or is not visible to you.',
    METHOD_NOT_ALLOWED: 'This action is not available here.',
    CONFLICT: 'This conflicts with the current state; reload and try again.',
    NOT_ELIGIBLE: 'The patient does not meet the eligibility criteria and cannot be randomized.',
    ALREADY_RANDOMIZED: 'This patient has already been randomized.',
    STUDY_NOT_ACTIVE: 'The study is not open for this action in its current status.',
    STUDY_NOT_LOCKED: 'This is done only after the database lock: a trial statistician locks the study first.',
    STUDY_NOT_UNBLINDED: 'This report or data set exists only after the end-of-study unblinding.',
    SAFETY_UNBLINDING_UNAVAILABLE:
      'Safety unblinding is not set up for this study, or its designated recipient cannot be reached. Contact the sponsor.',
    STUDY_NOT_IN_SETUP: 'The scheme can only be changed while the study is in set-up.',
    LIST_EXHAUSTED: 'The randomization list for this stratum is used up. Contact the trial statistician.',
    SCHEME_LOCKED: 'The allocation scheme is locked and cannot be changed.',
    SCHEME_MISSING: 'No allocation scheme has been generated yet.',
    SCHEME_LEGACY: 'This draft list predates salted fingerprints; generate or import it again before activating.',
    IDEMPOTENCY_IN_FLIGHT: 'The same request is still being processed; wait a moment and retry.',
    DUPLICATE: 'A record with this identifier already exists.',
    INVALID_TRANSITION: "This change is not allowed from the record's current status.",
    IDEMPOTENCY_KEY_REUSED: 'This request key was already used for a different request.',
    PROTOCOL_INVALID:
      'The protocol file is not valid; nothing was created. Correct the problems listed and send it again.',
    PAYLOAD_TOO_LARGE: 'The request is too large.',
    HEADERS_TOO_LARGE: 'The request headers are too large.',
    UNSUPPORTED_MEDIA_TYPE: 'The request must be sent as JSON.',
    REQUEST_TIMEOUT: 'The request took too long to arrive; please retry.',
    TOO_MANY_ATTEMPTS: 'Too many attempts. The account is locked; an administrator can unlock it.',
    INTERNAL_ERROR: 'Something went wrong on the server. The incident was logged.',
    BUSY: 'The server is busy; please retry in a moment.',
    STORAGE_FULL: "The server's storage is full, so nothing was saved. Please retry later.",
    DATABASE_UNAVAILABLE: 'The database cannot be reached right now, so nothing was saved. Please retry in a moment.',
    IDENTITY_PROVIDER_UNAVAILABLE:
      "The hospital's identity provider cannot be reached right now. Please retry in a moment.",
    'UNAUTHENTICATED.credentials': 'The username or password is not correct.',
    'UNAUTHENTICATED.code': 'The username, password or code is not correct.',
    'SIGNATURE_INVALID.codeRequired':
      'The first signature of a session needs the code from your authenticator app as well as your password. Nothing was changed.',
    'SIGNATURE_INVALID.code': 'The signature password or code is not correct. Nothing was changed.',
    'VALIDATION_FAILED.codeMismatch':
      'The code does not match: check the clock of your phone and type the code your app shows now.',
    'UNAUTHENTICATED.session': 'Your session has ended. Please sign in again.',
    'VALIDATION_FAILED.invalidLink':
      'This set-password link is not valid: it may have expired, been used already, or been replaced by a newer one. Ask an administrator for a new link.',
    'VALIDATION_FAILED.passwordTooShort': 'The password must have at least 8 characters.',
    'VALIDATION_FAILED.passwordTooLong': 'The password must have at most 256 characters.',
    'VALIDATION_FAILED.nothingToChange': 'Nothing to change: every value is already as given.',
    'VALIDATION_FAILED.investigatorNeedsSite': 'An investigator needs at least one site.',
    'VALIDATION_FAILED.unknownSite': 'Unknown site "{site}".',
    'VALIDATION_FAILED.siteClosed': 'Site "{site}" does not exist or is closed.',
    'VALIDATION_FAILED.ownAccount': 'You cannot deactivate your own account or change your own role.',
    'VALIDATION_FAILED.notLocked': 'The account is not locked.',
    'VALIDATION_FAILED.inactive': 'The account is inactive: re-activate it first.',
    'VALIDATION_FAILED.emailNeeded':
      'An e-mail address is needed: the new user receives a one-time link there to set their password.',
    'VALIDATION_FAILED.noEmail':
      'The user "{username}" has no e-mail address: add one so the set-password link can reach them.',
    'VALIDATION_FAILED.twoSignatures':
      'End-of-study unblinding needs two signatures: the second statistician signs with their own password.',
    'VALIDATION_FAILED.sameValue': '"{field}" already has this value.',
    'VALIDATION_FAILED.periodUnknown': 'Period {period} does not exist in the protocol.',
    'NOT_FOUND.patient': 'The patient was not found.',
    'NOT_FOUND.request': 'The unblinding request was not found.',
    'NOT_FOUND.noActiveUser': 'No active user named "{username}".',
    'NOT_ELIGIBLE.patient': 'Patient {patient} does not meet the eligibility criteria and cannot be randomized.',
    'ALREADY_RANDOMIZED.patient': 'Patient {patient} was already randomized (number {number}).',
    'LIST_EXHAUSTED.stratum':
      'The randomization list for stratum {stratum} is used up. Nothing was allocated; contact the trial statistician.',
    'FORBIDDEN.ownSite': 'You can register patients only at your own site(s): {sites}.',
    'FORBIDDEN.alreadyDecided': 'You have already decided this request.',
    'FORBIDDEN.ownRequest': 'Nobody may decide their own unblinding request.',
    'FORBIDDEN.requesterOnly': 'Only the investigator who requested this unblinding may view the allocation.',
    'FORBIDDEN.secondStatistician':
      'End-of-study unblinding needs two different statisticians; the second signature cannot be your own.',
    'DUPLICATE.openRequest':
      'You already have an open unblinding request for patient {patient}: follow it up rather than typing a new one.',
    'DUPLICATE.site': 'Site "{site}" already exists.',
    'DUPLICATE.screening': 'Screening number {screening} is already registered at site {site}.',
    'DUPLICATE.period': 'Period {period} of this patient was already dispensed.',
    'DUPLICATE.user': 'A user named "{username}" already exists.',
    'INVALID_TRANSITION.requestDecided': 'This request has already been decided; it cannot be decided again.',
    'INVALID_TRANSITION.grantDecided': 'This role grant has already been decided.',
    'INVALID_TRANSITION.periodOrder': 'Record period {missing} before period {period}.',
    'INVALID_TRANSITION.nothingToReveal': 'The patient has not been randomized: there is no allocation to reveal.',
    'INVALID_TRANSITION.nothingToPrepare': 'The patient has not been randomized: there is nothing to prepare yet.',
    'INVALID_TRANSITION.grantWaiting': 'A change of this kind for this user is already waiting for approval.',
  },
  fr: {
    NETWORK: 'Le serveur est injoignable. Vérifiez la connexion puis réessayez.',
    UNEXPECTED: "Un incident inattendu s'est produit dans la console. Rechargez la page puis réessayez.",
    VALIDATION_FAILED: 'Certaines valeurs saisies ne sont pas valides.',
    BLINDING_RISK:
      "Le texte nomme un bras ou un produit de l'essai, que des utilisateurs en insu liraient. Reformulez-le sans ce mot.",
    JSON_TOO_DEEP: 'La requête est trop imbriquée pour être lue.',
    NUMBER_NOT_FINITE: "Un nombre de la requête est trop grand ou n'est pas un nombre.",
    SIGNATURE_MEANING_MISMATCH:
      'La signification de cette signature est fixée par le système ; rechargez la page et signez de nouveau.',
    IDEMPOTENCY_KEY_REQUIRED: "La clé d'idempotence de la requête manquait ; veuillez réessayer.",
    UNAUTHENTICATED: 'Votre session est terminée. Veuillez vous reconnecter.',
    SIGNATURE_INVALID: "Le mot de passe de votre signature est incorrect. Rien n'a été modifié.",
    FORBIDDEN: 'Votre rôle ne permet pas cette action.',
    MFA_ENROLMENT_REQUIRED:
      "Votre compte doit d'abord avoir un second facteur : configurez votre application d'authentification.",
    NOT_FOUND: "Cet enregistrement n'existe pas ou ne vous est pas accessible.",
    METHOD_NOT_ALLOWED: "Cette action n'est pas disponible ici.",
    CONFLICT: "Cette action est en conflit avec l'état actuel ; rechargez puis réessayez.",
    NOT_ELIGIBLE: "Le patient ne remplit pas les critères d'éligibilité et ne peut pas être randomisé.",
    ALREADY_RANDOMIZED: 'Ce patient a déjà été randomisé.',
    STUDY_NOT_ACTIVE: "Le statut actuel de l'étude ne permet pas cette action.",
    STUDY_NOT_LOCKED:
      "Cette action n'est possible qu'après le gel de la base : un statisticien de l'essai doit d'abord verrouiller l'étude.",
    STUDY_NOT_UNBLINDED: "Ce rapport ou ce jeu de données n'existe qu'après la levée d'insu de fin d'étude.",
    SAFETY_UNBLINDING_UNAVAILABLE:
      "La levée d'insu pour la vigilance n'est pas configurée dans cette étude, ou son destinataire désigné est injoignable. Contactez le promoteur.",
    STUDY_NOT_IN_SETUP: "Le schéma ne peut être modifié que pendant la préparation de l'étude.",
    LIST_EXHAUSTED: "La liste de randomisation de cette strate est épuisée. Contactez le statisticien de l'essai.",
    SCHEME_LOCKED: "Le schéma d'allocation est verrouillé et ne peut plus être modifié.",
    SCHEME_MISSING: "Aucun schéma d'allocation n'a encore été généré.",
    SCHEME_LEGACY:
      "Cette liste brouillon est antérieure aux empreintes salées ; générez-la ou importez-la de nouveau avant l'activation.",
    IDEMPOTENCY_IN_FLIGHT: 'La même requête est encore en cours de traitement ; patientez un instant puis réessayez.',
    DUPLICATE: 'Un enregistrement avec cet identifiant existe déjà.',
    INVALID_TRANSITION: "Cette modification n'est pas permise depuis le statut actuel de l'enregistrement.",
    IDEMPOTENCY_KEY_REUSED: 'Cette clé de requête a déjà servi pour une autre requête.',
    PROTOCOL_INVALID:
      "Le fichier de protocole n'est pas valide ; rien n'a été créé. Corrigez les problèmes indiqués et envoyez-le de nouveau.",
    PAYLOAD_TOO_LARGE: 'La requête est trop volumineuse.',
    HEADERS_TOO_LARGE: 'Les en-têtes de la requête sont trop volumineux.',
    UNSUPPORTED_MEDIA_TYPE: 'La requête doit être envoyée au format JSON.',
    REQUEST_TIMEOUT: 'La requête a mis trop de temps à arriver ; veuillez réessayer.',
    TOO_MANY_ATTEMPTS: 'Trop de tentatives. Le compte est verrouillé ; un administrateur peut le déverrouiller.',
    INTERNAL_ERROR: "Une erreur s'est produite sur le serveur. L'incident a été journalisé.",
    BUSY: 'Le serveur est occupé ; veuillez réessayer dans un instant.',
    STORAGE_FULL: "L'espace de stockage du serveur est plein : rien n'a été enregistré. Veuillez réessayer plus tard.",
    DATABASE_UNAVAILABLE:
      "La base de données est momentanément injoignable : rien n'a été enregistré. Veuillez réessayer dans un instant.",
    IDENTITY_PROVIDER_UNAVAILABLE:
      "Le fournisseur d'identité de l'établissement est momentanément injoignable. Veuillez réessayer dans un instant.",
    'UNAUTHENTICATED.credentials': "L'identifiant ou le mot de passe est incorrect.",
    'UNAUTHENTICATED.code': "L'identifiant, le mot de passe ou le code est incorrect.",
    'SIGNATURE_INVALID.codeRequired':
      "La première signature d'une session demande le code de votre application d'authentification en plus de votre mot de passe. Rien n'a été modifié.",
    'SIGNATURE_INVALID.code': "Le mot de passe ou le code de la signature est incorrect. Rien n'a été modifié.",
    'VALIDATION_FAILED.codeMismatch':
      "Le code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant.",
    'UNAUTHENTICATED.session': 'Votre session est terminée. Veuillez vous reconnecter.',
    'VALIDATION_FAILED.invalidLink':
      "Ce lien de définition du mot de passe n'est pas valide : il a peut-être expiré, déjà servi ou été remplacé par un lien plus récent. Demandez un nouveau lien à un administrateur.",
    'VALIDATION_FAILED.passwordTooShort': 'Le mot de passe doit comporter au moins 8 caractères.',
    'VALIDATION_FAILED.passwordTooLong': 'Le mot de passe doit comporter au plus 256 caractères.',
    'VALIDATION_FAILED.nothingToChange': 'Rien à modifier : toutes les valeurs sont déjà celles indiquées.',
    'VALIDATION_FAILED.investigatorNeedsSite': 'Un investigateur doit être rattaché à au moins un centre.',
    'VALIDATION_FAILED.unknownSite': 'Centre « {site} » inconnu.',
    'VALIDATION_FAILED.siteClosed': "Le centre « {site} » n'existe pas ou est fermé.",
    'VALIDATION_FAILED.ownAccount': 'Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle.',
    'VALIDATION_FAILED.notLocked': "Le compte n'est pas verrouillé.",
    'VALIDATION_FAILED.inactive': "Le compte est inactif : réactivez-le d'abord.",
    'VALIDATION_FAILED.emailNeeded':
      'Une adresse e-mail est nécessaire : le nouvel utilisateur y reçoit un lien à usage unique pour définir son mot de passe.',
    'VALIDATION_FAILED.noEmail':
      "L'utilisateur « {username} » n'a pas d'adresse e-mail : ajoutez-en une pour que le lien de définition du mot de passe lui parvienne.",
    'VALIDATION_FAILED.twoSignatures':
      "La levée d'insu de fin d'étude exige deux signatures : le second statisticien signe avec son propre mot de passe.",
    'VALIDATION_FAILED.sameValue': '« {field} » a déjà cette valeur.',
    'VALIDATION_FAILED.periodUnknown': "La période {period} n'existe pas dans le protocole.",
    'NOT_FOUND.patient': 'Le patient est introuvable.',
    'NOT_FOUND.request': "La demande de levée d'insu est introuvable.",
    'NOT_FOUND.noActiveUser': 'Aucun utilisateur actif nommé « {username} ».',
    'NOT_ELIGIBLE.patient':
      "Le patient {patient} ne remplit pas les critères d'éligibilité et ne peut pas être randomisé.",
    'ALREADY_RANDOMIZED.patient': 'Le patient {patient} a déjà été randomisé (numéro {number}).',
    'LIST_EXHAUSTED.stratum':
      "La liste de randomisation de la strate {stratum} est épuisée. Aucune allocation n'a été faite ; contactez le statisticien de l'essai.",
    'FORBIDDEN.ownSite': 'Vous ne pouvez inclure des patients que dans votre ou vos centres : {sites}.',
    'FORBIDDEN.alreadyDecided': 'Vous avez déjà statué sur cette demande.',
    'FORBIDDEN.ownRequest': "Personne ne peut statuer sur sa propre demande de levée d'insu.",
    'FORBIDDEN.requesterOnly': "Seul l'investigateur qui a demandé cette levée d'insu peut consulter l'allocation.",
    'FORBIDDEN.secondStatistician':
      "La levée d'insu de fin d'étude exige deux statisticiens différents ; la seconde signature ne peut pas être la vôtre.",
    'DUPLICATE.openRequest':
      "Vous avez déjà une demande de levée d'insu en cours pour le patient {patient} : suivez-la plutôt que d'en saisir une nouvelle.",
    'DUPLICATE.site': 'Le centre « {site} » existe déjà.',
    'DUPLICATE.screening': 'Le numéro de sélection {screening} est déjà enregistré au centre {site}.',
    'DUPLICATE.period': 'La période {period} de ce patient a déjà été dispensée.',
    'DUPLICATE.user': 'Un utilisateur nommé « {username} » existe déjà.',
    'INVALID_TRANSITION.requestDecided':
      "Cette demande a déjà fait l'objet d'une décision ; elle ne peut pas être décidée de nouveau.",
    'INVALID_TRANSITION.grantDecided': "Cette attribution de rôle a déjà fait l'objet d'une décision.",
    'INVALID_TRANSITION.periodOrder': 'Enregistrez la période {missing} avant la période {period}.',
    'INVALID_TRANSITION.nothingToReveal': "Le patient n'a pas été randomisé : il n'y a aucune allocation à révéler.",
    'INVALID_TRANSITION.nothingToPrepare':
      "Le patient n'a pas été randomisé : il n'y a rien à préparer pour l'instant.",
    'INVALID_TRANSITION.grantWaiting': 'Une modification de ce type pour cet utilisateur attend déjà une approbation.',
  },
};
