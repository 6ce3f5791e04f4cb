import type { Namespace } from './types.js';

/** Catalogue namespace "oidc": sign-in through the hospital's identity provider (issue 16 Build 5). */
export const oidc: Namespace = {
  en: {
    signInWith: 'Sign in with {name}',
    or: 'or with a blindrand password',
    redirecting: 'Opening {name}…',
    title: 'Signing in',
    working: 'Finishing the sign-in…',
    pendingTitle: 'Your access is waiting for approval',
    pendingBody:
      'Welcome, {name}. Your hospital account is known, but an administrator of blindrand must approve your access before you can use it. You will be able to sign in as soon as they have approved it.',
    pendingNext: 'You can close this page.',
    backToSignIn: 'Back to sign-in',
    'error.refused': 'The identity provider’s answer could not be trusted, so you are not signed in. Please try again.',
    'error.unknown':
      'Your hospital account is not linked to a blindrand account. Ask the administrator of blindrand to give you access.',
    'error.expired': 'This sign-in took too long or was already used. Please sign in again.',
    'error.provider': 'The identity provider did not sign you in.',
    'error.disabled': 'Your blindrand account is disabled or locked. An administrator can re-activate it.',
    reauthDone: 'You signed in again. You can close this window and return to your form.',
    reauthFailed: 'The identity provider did not confirm that it is you. Close this window and try again.',
    reauthButton: 'Confirm my identity at {name}',
    reauthHint: 'Your signature needs a fresh sign-in at {name}: a window opens for it.',
    reauthWaiting: 'Waiting for the sign-in at {name}…',
    reauthConfirmed: 'Identity confirmed: you can sign now.',
    popupBlocked: 'The window could not open. Allow pop-ups for blindrand and try again.',
    reauthRefused:
      'The confirmation of your identity is missing, already used or too old. Confirm it again at the identity provider. Nothing was changed.',
  },
  fr: {
    signInWith: 'Se connecter avec {name}',
    or: 'ou avec un mot de passe blindrand',
    redirecting: 'Ouverture de {name}…',
    title: 'Connexion',
    working: 'Connexion en cours…',
    pendingTitle: 'Votre accès attend une approbation',
    pendingBody:
      'Bienvenue, {name}. Votre compte de l’établissement est reconnu, mais un administrateur de blindrand doit approuver votre accès avant que vous puissiez l’utiliser. Vous pourrez vous connecter dès qu’il l’aura approuvé.',
    pendingNext: 'Vous pouvez fermer cette page.',
    backToSignIn: 'Retour à la connexion',
    'error.refused':
      'La réponse du fournisseur d’identité n’est pas fiable : vous n’êtes pas connecté. Veuillez réessayer.',
    'error.unknown':
      'Votre compte de l’établissement n’est lié à aucun compte blindrand. Demandez un accès à l’administrateur de blindrand.',
    'error.expired': 'Cette connexion a pris trop de temps ou a déjà servi. Veuillez vous reconnecter.',
    'error.provider': 'Le fournisseur d’identité ne vous a pas connecté.',
    'error.disabled': 'Votre compte blindrand est désactivé ou verrouillé. Un administrateur peut le réactiver.',
    reauthDone: 'Vous vous êtes reconnecté. Vous pouvez fermer cette fenêtre et revenir à votre formulaire.',
    reauthFailed: 'Le fournisseur d’identité n’a pas confirmé votre identité. Fermez cette fenêtre et réessayez.',
    reauthButton: 'Confirmer mon identité auprès de {name}',
    reauthHint: 'Votre signature demande une nouvelle connexion auprès de {name} : une fenêtre s’ouvre pour cela.',
    reauthWaiting: 'En attente de la connexion auprès de {name}…',
    reauthConfirmed: 'Identité confirmée : vous pouvez signer.',
    popupBlocked: 'La fenêtre n’a pas pu s’ouvrir. Autorisez les fenêtres surgissantes pour blindrand et réessayez.',
    reauthRefused:
      'La confirmation de votre identité manque, a déjà servi ou est trop ancienne. Confirmez-la à nouveau auprès du fournisseur d’identité. Rien n’a été modifié.',
  },
};
