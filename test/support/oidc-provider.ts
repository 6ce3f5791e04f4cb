/**
 * A real OpenID Connect provider (oidc-provider 9) for the sign-in tests, with its own development
 * login pages: any login name is accepted with any password, and the account's claims (name, groups…)
 * are the ones the test registered. `tamper` rewrites the ID token the token endpoint returns,
 * re-signed with the provider's own key or not at all, so the tests can show that the relying party
 * refuses a wrong audience, an expired or unsigned token, a wrong nonce or a stale auth_time.
 * `signIn` drives the provider's pages with fetch (cookies kept), as a browser would.
 */
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import Provider from 'oidc-provider';
import { freePort } from './ports.js';

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claims of a login name (sub is the login); unregistered names get only their sub. */
  accounts: Map<string, Record<string, unknown>>;
  /** Rewrites the next ID tokens' claims (null: untouched); `unsigned` sends them with alg none, `foreignKey` signed by another key. */
  tamper: ((claims: JWTPayload) => JWTPayload) | null;
  unsigned: boolean;
  foreignKey: boolean;
  /** Follows an authorization URL through the provider's login page; returns the redirect to the relying party. */
  signIn(authorizationUrl: string, login: string): Promise<string>;
  close(): Promise<void>;
}

/** The client the provider knows blindrand as. */
export const TEST_CLIENT = { id: 'blindrand', secret: 'test-client-secret-0123456789' } as const;
const clientId = TEST_CLIENT.id;
const clientSecret = TEST_CLIENT.secret;

type Ctx = { path: string; method: string; body?: unknown };

/** `port`: chosen beforehand when the relying party's settings must name the issuer before it starts. */
export async function startOidcProvider(redirectUri: string, port?: number): Promise<OidcTestProvider> {
  port ??= await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const accounts = new Map<string, Record<string, unknown>>();
  // The provider warns about its development login pages and default lifetimes: expected here, and noise in the test output.
  const warn = console.warn;
  console.warn = () => undefined;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
      },
    ],
    jwks: { keys: [jwk] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: ['test-cookie-key'] },
    async findAccount(_ctx: unknown, id: string) {
      return { accountId: id, claims: async () => ({ sub: id, ...(accounts.get(id) ?? {}) }) };
    },
    // No consent page: the hospital's provider has the client pre-approved.
    async loadExistingGrant(ctx: any) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });
  console.warn = warn;
  const state: Pick<OidcTestProvider, 'tamper' | 'unsigned' | 'foreignKey'> = {
    tamper: null,
    unsigned: false,
    foreignKey: false,
  };
  provider.use(async (ctx: Ctx, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || ctx.method !== 'POST' || !body?.id_token) return;
    if (!state.tamper && !state.unsigned && !state.foreignKey) return;
    const claims = (state.tamper ?? ((c) => c))(
      JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString()),
    );
    body.id_token = state.unsigned
      ? `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`
      : signJwt(claims, state.foreignKey ? foreign.privateKey : privateKey);
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const result: OidcTestProvider = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    get tamper() {
      return state.tamper;
    },
    set tamper(fn) {
      state.tamper = fn;
    },
    get unsigned() {
      return state.unsigned;
    },
    set unsigned(v) {
      state.unsigned = v;
    },
    get foreignKey() {
      return state.foreignKey;
    },
    set foreignKey(v) {
      state.foreignKey = v;
    },
    signIn: (url, login) => driveLogin(url, login, redirectUri),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return result;
}

type JWTPayload = Record<string, unknown>;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** RS256 with node:crypto: header and payload, base64url, signed with PKCS#1 v1.5 over SHA-256. */
function signJwt(claims: JWTPayload, key: KeyObject): string {
  const input = `${b64({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** Follows redirects by hand, keeping cookies, and posts the login form when the provider shows it. */
async function driveLogin(start: string, login: string, redirectUri: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = start;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectUri)) return url;
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the provider answered ${res.status} without a form: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    body = html.includes('name="login"')
      ? new URLSearchParams({ prompt: 'login', login, password: 'any-password' })
      : new URLSearchParams({ prompt: 'consent' });
  }
  throw new Error('the provider did not send the browser back');
}
