/** The OIDC_* settings (server/src/config/oidc-config.ts): read at start, each mistake one line naming the variable. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/src/config/config.js';

const base = { DATABASE_PATH: join(tmpdir(), 'oidc-config-unit.sqlite') };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env });
const good = { OIDC_ISSUER: 'https://sso.chu.example/realms/CHU', OIDC_CLIENT_ID: 'blindrand' };

describe('identity provider settings [SSO-005]', () => {
  it('no OIDC_ISSUER: no provider, nothing else read', () => {
    expect(load({ OIDC_CLIENT_ID: 'x', OIDC_GROUP_ROLES: 'nonsense' }).oidc).toBeNull();
  });

  it('defaults, group mapping, secret from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-secret-'));
    writeFileSync(join(dir, 'secret'), 's3cret-value\n');
    const oidc = load({
      ...good,
      OIDC_CLIENT_SECRET_FILE: join(dir, 'secret'),
      OIDC_GROUP_ROLES: 'rc-monitors=medical_monitor, pui=pharmacist',
    }).oidc!;
    expect(oidc).toMatchObject({
      clientSecret: 's3cret-value',
      name: 'sso.chu.example',
      scopes: 'openid profile email',
      usernameClaim: 'preferred_username',
      groupsClaim: 'groups',
      groupRoles: { 'rc-monitors': 'medical_monitor', pui: 'pharmacist' },
      acrValues: null,
      reauthMaxAgeSeconds: 120,
      allowInsecure: false,
    });
  });

  it.each([
    [{ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'x' }, /^OIDC_ISSUER is not a valid URL/],
    [{ OIDC_ISSUER: 'http://sso.example', OIDC_CLIENT_ID: 'x' }, /^OIDC_ISSUER must be an https:\/\/ URL/],
    [{ OIDC_ISSUER: 'https://sso.example' }, /^OIDC_CLIENT_ID is required/],
    [{ ...good, OIDC_CLIENT_SECRET: 's3cret-a', OIDC_CLIENT_SECRET_FILE: '/x' }, /not both/],
    [{ ...good, OIDC_CLIENT_SECRET_FILE: '/nonexistent/secret' }, /^OIDC_CLIENT_SECRET_FILE cannot be read/],
    [{ ...good, OIDC_SCOPES: 'profile email' }, /^OIDC_SCOPES must include openid/],
    [{ ...good, OIDC_GROUP_ROLES: 'monitors=boss' }, /^OIDC_GROUP_ROLES: "boss" is not a role/],
    [{ ...good, OIDC_GROUP_ROLES: 'monitors' }, /^OIDC_GROUP_ROLES must be group=role pairs/],
    [{ ...good, OIDC_REAUTH_MAX_AGE_SECONDS: '3600' }, /^OIDC_REAUTH_MAX_AGE_SECONDS must be/],
  ])('%j is refused with a line naming the variable', (env, message) => {
    let error: unknown;
    try {
      load(env as Record<string, string>);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    // a secret never appears in the message
    expect((error as Error).message).not.toContain('s3cret');
  });
});
