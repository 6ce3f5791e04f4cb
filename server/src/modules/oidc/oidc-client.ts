/**
 * The relying-party side of OpenID Connect, on openid-client v6: discovery (cached, retried after a
 * failure), the authorization URL (code flow, PKCE S256, state, nonce), and the code exchange, which
 * checks the ID token's issuer, audience, nonce, expiry and — with non-repudiation checks on — its
 * signature against the provider's published keys. Claims missing from the ID token are read from userinfo.
 */
import * as client from 'openid-client';
import type { OidcConfig } from '../../config/oidc-config.js';

export interface ProviderClaims {
  sub: string;
  /** Seconds since the epoch; null when the provider did not say. */
  authTime: number | null;
  claims: Record<string, unknown>;
}

export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(private readonly settings: OidcConfig) {}

  private discover(): Promise<client.Configuration> {
    this.configuration ??= client
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        undefined,
        // client_secret_basic: the default of OpenID Connect client registration (Keycloak, Pro Santé Connect).
        this.settings.clientSecret ? client.ClientSecretBasic(this.settings.clientSecret) : client.None(),
        {
          execute: [
            client.enableNonRepudiationChecks,
            ...(this.settings.allowInsecure ? [client.allowInsecureRequests] : []),
          ],
        },
      )
      .catch((err: unknown) => {
        this.configuration = null;
        throw err;
      });
    return this.configuration;
  }

  async authorizationUrl(
    redirectUri: string,
    checks: { state: string; nonce: string; codeVerifier: string },
    extra: Record<string, string> = {},
  ): Promise<string> {
    const config = await this.discover();
    const params: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      ...(this.settings.acrValues ? { acr_values: this.settings.acrValues } : {}),
      ...extra,
    };
    return client.buildAuthorizationUrl(config, params).href;
  }

  /** Exchanges the code; throws on any failed check (the caller refuses and audits). */
  async exchange(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string; maxAge?: number },
  ): Promise<ProviderClaims> {
    const config = await this.discover();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
      ...(checks.maxAge !== undefined ? { maxAge: checks.maxAge } : {}),
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    let claims: Record<string, unknown> = { ...idToken };
    const wanted = [this.settings.usernameClaim, this.settings.groupsClaim].filter((c): c is string => c !== null);
    if (wanted.some((c) => claims[c] === undefined) && config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
      // The ID token wins where both speak: it is the signed statement.
      claims = { ...info, ...claims };
    }
    return { sub: idToken.sub, authTime: typeof idToken.auth_time === 'number' ? idToken.auth_time : null, claims };
  }
}
