/**
 * The hospital's identity provider as the console sees it: whether it is configured (and its name),
 * and the fresh login a signature needs (a window opened on the provider with prompt=login; the
 * page it comes back to, OidcReturnPage, hands the single-use ticket to this window and closes).
 * A window, not a redirect, so the form being signed keeps what was typed; on a phone it opens as a tab.
 */
import type { OidcProviderView } from '../../../shared/contract.js';
import { oidcProvider } from '../api/oidc.js';

/** The message OidcReturnPage sends to the window that opened it. */
export const REAUTH_MESSAGE = 'blindrand.oidc-reauth';

/** The one-time codes this page load has already exchanged (OidcReturnPage). */
export const EXCHANGED = new Set<string>();

let cached: Promise<OidcProviderView> | null = null;

/** GET /api/auth/oidc once per page load; a failure counts as "not configured" (the password form remains). */
export function loadProvider(): Promise<OidcProviderView> {
  cached ??= oidcProvider().catch(() => ({ enabled: false, name: null }));
  return cached;
}
