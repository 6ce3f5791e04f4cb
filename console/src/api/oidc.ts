/** Sign-in through the hospital's identity provider (server/src/modules/oidc). */
import type { OidcHandoffResult, OidcProviderView, OidcStartResponse } from '../../../shared/contract.js';
import { request } from './http.js';

export const oidcProvider = () => request<OidcProviderView>('/auth/oidc');
export const startOidc = () => request<OidcStartResponse>('/auth/oidc/start', { method: 'POST', body: {} });
export const exchangeHandoff = (code: string) =>
  request<OidcHandoffResult>('/auth/oidc/handoff', { method: 'POST', body: { code } });
export const startReauth = () => request<OidcStartResponse>('/auth/oidc/reauth', { method: 'POST', body: {} });
