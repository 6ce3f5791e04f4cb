import type { Namespace } from './types.js';

/** Catalogue namespace "admin" (see shared/i18n/catalogue.ts): users, sites, role grants. */
export const admin: Namespace = {
  en: {
    'grantKind.create': 'new account',
    'grantKind.role': 'role change',
    'grantKind.reactivate': 're-activation',
    'grantKind.password-reset': 'password reset',
    'grantKind.email': 'e-mail change',
  },
  fr: {
    'grantKind.create': 'nouveau compte',
    'grantKind.role': 'changement de rôle',
    'grantKind.reactivate': 'réactivation',
    'grantKind.password-reset': 'réinitialisation du mot de passe',
    'grantKind.email': 'changement d\'adresse e-mail',
  },
};
