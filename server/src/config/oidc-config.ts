/**
 * Sign-in through the hospital's identity provider (OpenID Connect, issue 16 Build 5), read from
 * OIDC_* variables. No OIDC_ISSUER: null, and nothing about sign-in changes. Every problem is one
 * ConfigError naming the variable; the client secret itself never appears in a message.
 */
import { readFileSync } from 'node:fs';
import { ROLES, type Role } from '../../../shared/roles.js';

export interface OidcConfig {
  /** The provider's issuer URL (discovery at <issuer>/.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  /** null: a public client (PKCE alone). */
  clientSecret: string | null;
  /** What the sign-in button says: "Sign in with <name>". */
  name: string;
  scopes: string;
  /** The claim that carries the blindrand username (ID token, else userinfo). */
  usernameClaim: string;
  /** The claim that lists the person's groups; null: no group-to-role mapping. */
  groupsClaim: string | null;
  /** group → role: a person unknown to blindrand in one of these groups is created pending an admin's approval. */
  groupRoles: Record<string, Role>;
  /** acr_values sent with every authorization request (e.g. the provider's two-factor level); null: none. */
  acrValues: string | null;
  /** How old the provider's auth_time may be for a signature (prompt=login, max_age=0). */
  reauthMaxAgeSeconds: number;
  /** http:// issuers are refused unless this is set (tests, a provider on the same host). */
  allowInsecure: boolean;
}

class OidcConfigError extends Error {}

function groupRoles(raw: string | undefined): Record<string, Role> {
  const out: Record<string, Role> = {};
  for (const pair of (raw ?? '').split(/[,;\n]/).map((s) => s.trim())) {
    if (!pair) continue;
    const at = pair.lastIndexOf('=');
    const group = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !group) throw new OidcConfigError(`OIDC_GROUP_ROLES must be group=role pairs, got "${pair}"`);
    if (!(ROLES as readonly string[]).includes(role))
      throw new OidcConfigError(`OIDC_GROUP_ROLES: "${role}" is not a role (one of ${ROLES.join(', ')})`);
    out[group] = role as Role;
  }
  return out;
}

/** Reads OIDC_*; throws (the caller's error class) naming the variable. */
export function oidcConfig(env: NodeJS.ProcessEnv, fail: (message: string) => Error): OidcConfig | null {
  try {
    return read(env);
  } catch (err) {
    if (err instanceof OidcConfigError) throw fail(err.message);
    throw err;
  }
}

function read(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return null;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new OidcConfigError(`OIDC_ISSUER is not a valid URL, got "${issuer}"`);
  }
  const allowInsecure = /^(1|true|yes|on)$/i.test(env.OIDC_ALLOW_INSECURE ?? '');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowInsecure))
    throw new OidcConfigError(`OIDC_ISSUER must be an https:// URL, got "${issuer}"`);
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new OidcConfigError('OIDC_CLIENT_ID is required when OIDC_ISSUER is set');
  let clientSecret = env.OIDC_CLIENT_SECRET || null;
  if (env.OIDC_CLIENT_SECRET_FILE) {
    if (clientSecret) throw new OidcConfigError('Set OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE, not both');
    try {
      clientSecret = readFileSync(env.OIDC_CLIENT_SECRET_FILE, 'utf8').trim();
    } catch {
      throw new OidcConfigError(`OIDC_CLIENT_SECRET_FILE cannot be read: ${env.OIDC_CLIENT_SECRET_FILE}`);
    }
    if (!clientSecret) throw new OidcConfigError(`OIDC_CLIENT_SECRET_FILE is empty: ${env.OIDC_CLIENT_SECRET_FILE}`);
  }
  const scopes = (env.OIDC_SCOPES || 'openid profile email').trim().replace(/\s+/g, ' ');
  if (!scopes.split(' ').includes('openid'))
    throw new OidcConfigError(`OIDC_SCOPES must include openid, got "${scopes}"`);
  const roles = groupRoles(env.OIDC_GROUP_ROLES);
  const groupsClaim = env.OIDC_GROUPS_CLAIM?.trim() || (Object.keys(roles).length ? 'groups' : null);
  const maxAge = env.OIDC_REAUTH_MAX_AGE_SECONDS?.trim() || '120';
  if (!/^\d+$/.test(maxAge) || Number(maxAge) < 10 || Number(maxAge) > 600)
    throw new OidcConfigError(`OIDC_REAUTH_MAX_AGE_SECONDS must be a whole number between 10 and 600, got "${maxAge}"`);
  return {
    issuer,
    clientId,
    clientSecret,
    name: env.OIDC_NAME?.trim() || url.hostname,
    scopes,
    usernameClaim: env.OIDC_USERNAME_CLAIM?.trim() || 'preferred_username',
    groupsClaim,
    groupRoles: roles,
    acrValues: env.OIDC_ACR_VALUES?.trim() || null,
    reauthMaxAgeSeconds: Number(maxAge),
    allowInsecure,
  };
}
