import type { LoginResponse } from './users.js';

/** GET /api/auth/oidc: whether the sign-in page offers "Sign in with <name>". */
export interface OidcProviderView {
  enabled: boolean;
  name: string | null;
}

/** POST /api/auth/oidc/start and /api/auth/oidc/reauth: where to send the browser. */
export interface OidcStartResponse {
  authorizationUrl: string;
}

/** POST /api/auth/oidc/handoff: the one-time code the callback put in the console's URL. */
export interface OidcHandoffInput {
  code: string;
}

/** What a one-time code was worth: a session, or an account waiting for an admin's approval. */
export type OidcHandoffResult =
  { status: 'signed-in'; login: LoginResponse } | { status: 'pending'; username: string; displayName: string };

/** PUT /api/users/:id/identity: an admin links an account to a person at the identity provider. */
export interface OidcLinkInput {
  subject: string;
}
