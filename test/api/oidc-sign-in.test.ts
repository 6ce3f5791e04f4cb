/**
 * Sign-in through the hospital's identity provider (issue 16 Build 5), against a real OpenID Connect
 * provider started here (test/support/oidc-provider.ts) and driven through its login pages. Shows the
 * whole flow, each forged or replayed answer refused with nothing created, the held access of an
 * unknown person in a mapped group, and the fresh login a signature needs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../support/ports.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startOidcProvider, type OidcTestProvider } from '../support/oidc-provider.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { randomizedPatient, requestUnblinding, signed } from './fixtures/unblinding-helpers.js';

describe('OpenID Connect sign-in against a real provider', () => {
  let t: TestApp;
  let idp: OidcTestProvider;
  let raw: RawDb;
  let admin: string;
  let callbackPrefix: string;

  /** The console URL the callback sends the browser to, after the provider's login as `login`. */
  async function signInAt(login: string, start = '/api/auth/oidc/start', token?: string) {
    const res = await t.api.post(start, {}, token);
    expect(res.status).toBe(200);
    const back = await idp.signIn(res.body.authorizationUrl, login);
    return { back, console: await follow(back) };
  }
  async function follow(back: string): Promise<URL> {
    const res = await fetch(back, { redirect: 'manual' });
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!);
  }
  const exchange = (code: string | null) => t.api.post('/api/auth/oidc/handoff', { code });
  const count = async (table: string) => Number((await raw.all(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const lastAudit = async () =>
    // Sign-in and accounts are in the instance chain (0).
    (await raw.all('SELECT action, reason, details FROM audit_log WHERE chain = 0 ORDER BY seq DESC LIMIT 1'))[0] as {
      action: string;
      reason: string | null;
      details: string;
    };

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    callbackPrefix = `${publicUrl}/oidc/return?`;
    idp = await startOidcProvider(`${publicUrl}/api/auth/oidc/callback`);
    t = await startTestApp({
      TEST_APP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_ALLOW_INSECURE: '1',
      OIDC_NAME: 'CHU Test',
      OIDC_SCOPES: 'openid profile email groups',
      OIDC_GROUP_ROLES: 'research-monitors=medical_monitor, pharmacy=pharmacist',
    });
    raw = await openRawDb(t.config);
    admin = await t.api.login('admin');
    idp.accounts.set('sub-martin', {
      preferred_username: 'dr.martin',
      name: 'Dr Claire Martin',
      email: 'claire.martin@chu.test',
      groups: ['staff', 'research-monitors'],
    });
    idp.accounts.set('sub-nobody', { preferred_username: 'visitor', name: 'A Visitor', groups: ['staff'] });
    idp.accounts.set('sub-impostor', {
      preferred_username: 'monitor',
      name: 'Not the monitor',
      groups: ['research-monitors'],
    });
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
    await idp?.close();
  });

  it('offers the provider by name; an instance without one offers nothing and answers 404 [SSO-001]', async () => {
    expect((await t.api.get('/api/auth/oidc')).body).toEqual({ enabled: true, name: 'CHU Test' });
    const plain = await startTestApp();
    try {
      expect((await plain.api.get('/api/auth/oidc')).body).toEqual({ enabled: false, name: null });
      expect((await plain.api.post('/api/auth/oidc/start', {})).status).toBe(404);
      // local password accounts keep working beside the provider
      expect(await plain.api.login('admin')).toEqual(expect.any(String));
    } finally {
      await plain.close();
    }
  });

  it('a person unknown to blindrand and in no mapped group gets nothing; the attempt is audited [SSO-003]', async () => {
    const users = await count('users');
    const { console: url } = await signInAt('sub-nobody');
    expect(url.href.startsWith(callbackPrefix)).toBe(true);
    expect(url.searchParams.get('error')).toBe('unknown');
    expect(await count('users')).toBe(users);
    expect(await lastAudit()).toMatchObject({ action: 'auth.oidc_unknown_person' });
  });

  it('a username match alone never takes over an existing account [SSO-003]', async () => {
    const users = await count('users');
    const sessions = await count('sessions');
    const { console: url } = await signInAt('sub-impostor');
    expect(url.searchParams.get('error')).toBe('unknown');
    expect([await count('users'), await count('sessions')]).toEqual([users, sessions]);
    expect((await lastAudit()).reason).toMatch(/not linked/);
  });

  it('an unknown person in a mapped group waits for approval, then signs in with the role [SSO-003] [SSO-001]', async () => {
    const first = await signInAt('sub-martin');
    const code = first.console.searchParams.get('handoff');
    expect(code).toBeTruthy();
    // nothing secret in the console URL but the one-time code
    expect([...first.console.searchParams.keys()]).toEqual(['handoff']);
    const pending = await exchange(code);
    expect(pending.body).toEqual({ status: 'pending', username: 'dr.martin', displayName: 'Dr Claire Martin' });
    expect((await exchange(code)).status).toBe(400);
    const users = (await t.api.get('/api/users', admin)).body as Array<Record<string, any>>;
    const martin = users.find((u) => u.username === 'dr.martin')!;
    expect(martin).toMatchObject({ active: false, role: 'medical_monitor' });
    // signing in again while pending: still waiting, still no session
    const again = await exchange((await signInAt('sub-martin')).console.searchParams.get('handoff'));
    expect(again.body.status).toBe('pending');
    const grants = (await t.api.get('/api/role-grants?status=pending', admin)).body as Array<Record<string, any>>;
    const grant = grants.find((g) => g.username === 'dr.martin')!;
    expect(grant).toMatchObject({ kind: 'create', role: 'medical_monitor', requestedBy: 'dr.martin' });
    const decision = await t.api.post(
      `/api/role-grants/${grant.id}/decision`,
      { approve: true, comment: 'known', ...signed() },
      admin,
    );
    expect(decision.status).toBe(200);
    expect(decision.body.passwordLink).toBeUndefined();
    const done = await signInAt('sub-martin');
    const login = await exchange(done.console.searchParams.get('handoff'));
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      status: 'signed-in',
      login: { user: { username: 'dr.martin', role: 'medical_monitor' } },
    });
    const me = await t.api.get('/api/auth/me', login.body.login.accessToken);
    expect(me.body).toMatchObject({ username: 'dr.martin', role: 'medical_monitor' });
    // the code is single use, and the provider's code cannot be played again either
    expect((await exchange(done.console.searchParams.get('handoff'))).status).toBe(400);
    const replay = await follow(done.back);
    expect(replay.searchParams.get('error')).toBe('expired');
    // no password works for an account of the provider
    expect((await t.api.post('/api/auth/login', { username: 'dr.martin', password: '!sso-only' })).status).toBe(401);
  });

  it('an admin links an existing account; then, and only then, the person signs in to it through the provider [SSO-003] [SSO-001]', async () => {
    idp.accounts.set('sub-inv', { preferred_username: 'j.dupont', name: 'Jeanne Dupont', groups: ['staff'] });
    const users = (await t.api.get('/api/users', admin)).body as Array<Record<string, any>>;
    const id = (name: string) => users.find((u) => u.username === name)!.id as string;
    expect((await signInAt('sub-inv')).console.searchParams.get('error')).toBe('unknown');
    const link = (name: string, subject: string) =>
      t.api.request('PUT', `/api/users/${id(name)}/identity`, { token: admin, body: { subject } });
    // not one's own account, not a sensitive role, not without the permission
    expect((await link('admin', 'sub-inv')).status).toBe(403);
    expect((await link('pharmacist', 'sub-inv')).status).toBe(403);
    const investigator = await t.api.login('investigator1');
    expect(
      (
        await t.api.request('PUT', `/api/users/${id('investigator1')}/identity`, {
          token: investigator,
          body: { subject: 'sub-inv' },
        })
      ).status,
    ).toBe(403);
    expect((await link('investigator1', 'sub-inv')).status).toBe(200);
    expect((await link('investigator2', 'sub-inv')).status).toBe(409);
    expect(await lastAudit()).toMatchObject({ action: 'user.identity_linked' });
    const login = await exchange((await signInAt('sub-inv')).console.searchParams.get('handoff'));
    expect(login.body).toMatchObject({
      status: 'signed-in',
      login: { user: { username: 'investigator1', role: 'investigator' } },
    });
    // the password keeps working for a linked local account
    expect(await t.api.login('investigator1')).toEqual(expect.any(String));
    expect((await t.api.request('DELETE', `/api/users/${id('investigator1')}/identity`, { token: admin })).status).toBe(
      204,
    );
    expect((await t.api.get('/api/auth/me', login.body.login.accessToken)).status).toBe(401);
    expect((await signInAt('sub-inv')).console.searchParams.get('error')).toBe('unknown');
  });

  describe('forged or replayed answers are refused, with nothing created [SSO-002]', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: Array<[string, (p: OidcTestProvider) => void]> = [
      ['a wrong nonce', (p) => (p.tamper = (c) => ({ ...c, nonce: 'another-nonce' }))],
      ['a wrong audience', (p) => (p.tamper = (c) => ({ ...c, aud: 'another-client' }))],
      ['an expired token', (p) => (p.tamper = (c) => ({ ...c, iat: now() - 7200, exp: now() - 3600 }))],
      ['a token from another issuer', (p) => (p.tamper = (c) => ({ ...c, iss: 'https://evil.example' }))],
      ['an unsigned token', (p) => (p.unsigned = true)],
      ['a token signed by another key', (p) => (p.foreignKey = true)],
    ];
    afterAll(() => {
      idp.tamper = null;
      idp.unsigned = false;
      idp.foreignKey = false;
    });
    for (const [what, arrange] of cases)
      it(`${what} [SSO-002]`, async () => {
        const before = [await count('users'), await count('sessions'), await count('oidc_handoffs')];
        arrange(idp);
        try {
          const { console: url } = await signInAt('sub-martin');
          expect(url.searchParams.get('error')).toBe('refused');
          expect(url.searchParams.get('handoff')).toBeNull();
        } finally {
          idp.tamper = null;
          idp.unsigned = false;
          idp.foreignKey = false;
        }
        expect([await count('users'), await count('sessions'), await count('oidc_handoffs')]).toEqual(before);
        const audit = await lastAudit();
        expect(audit.action).toBe('auth.oidc_refused');
        expect(audit.reason).toMatch(/failed a check/);
      });

    it('an unknown state, a replayed callback, a forged handoff code [SSO-002]', async () => {
      const before = [await count('users'), await count('sessions'), await count('oidc_handoffs')];
      const start = await t.api.post('/api/auth/oidc/start', {});
      const back = new URL(await idp.signIn(start.body.authorizationUrl, 'sub-martin'));
      const forged = new URL(back);
      forged.searchParams.set('state', 'not-the-state');
      expect((await follow(forged.href)).searchParams.get('error')).toBe('expired');
      const noState = new URL(back);
      noState.searchParams.delete('state');
      expect((await follow(noState.href)).searchParams.get('error')).toBe('expired');
      expect([await count('users'), await count('sessions'), await count('oidc_handoffs')]).toEqual(before);
      // the genuine answer still works once, and only once
      expect((await follow(back.href)).searchParams.get('handoff')).toBeTruthy();
      expect((await follow(back.href)).searchParams.get('error')).toBe('expired');
      expect((await exchange('forged-code')).status).toBe(400);
      expect((await t.api.post('/api/auth/oidc/handoff', {})).status).toBe(400);
    });
  });

  it('an SSO signature needs a fresh provider login by the same person in the same session: refused without one (stale auth_time, another subject, forged, spent, foreign or aged ticket), accepted with one [SSO-004]', async () => {
    const token = (await exchange((await signInAt('sub-martin')).console.searchParams.get('handoff'))).body.login
      .accessToken as string;
    const start = await t.api.post('/api/auth/oidc/reauth', {}, token);
    const asked = new URL(start.body.authorizationUrl);
    expect([asked.searchParams.get('prompt'), asked.searchParams.get('max_age')]).toEqual(['login', '0']);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    idp.tamper = (c) => ({ ...c, auth_time: Math.floor(Date.now() / 1000) - 600 });
    let stale: URL;
    try {
      stale = (await signInAt('sub-martin', '/api/auth/oidc/reauth', token)).console;
    } finally {
      idp.tamper = null;
    }
    expect([stale.searchParams.get('error'), stale.searchParams.get('purpose')]).toEqual(['refused', 'reauth']);
    // someone else logging in at the provider does not re-authenticate dr.martin
    const other = (await signInAt('sub-nobody', '/api/auth/oidc/reauth', token)).console;
    expect(other.searchParams.get('error')).toBe('refused');
    const fresh = (await signInAt('sub-martin', '/api/auth/oidc/reauth', token)).console;
    expect(fresh.searchParams.get('reauth')).toBeTruthy();
    // a re-authentication ticket is not a sign-in code (and is spent by the attempt)
    expect((await exchange(fresh.searchParams.get('reauth'))).status).toBe(400);

    // The signature itself: a medical monitor decides an unblinding request with a fresh provider login.
    const investigator = await t.api.login('investigator1');
    const patient = await randomizedPatient(t.api, investigator, 'A');
    const request = await requestUnblinding(
      t.api,
      investigator,
      patient,
      'Planned surgery: the team asks for the allocation',
      false,
    );
    expect(request.status).toBe(201);
    const decideWith = (signature: Record<string, string>, as = token) =>
      t.api.post(
        `/api/unblinding-requests/${request.body.id}/decision`,
        { approve: false, comment: 'Manageable without unblinding', signature },
        as,
      );
    const freshTicket = async (as: string) =>
      (await signInAt('sub-martin', '/api/auth/oidc/reauth', as)).console.searchParams.get('reauth')!;
    // without a fresh login: a forged ticket, a spent one, one from another session of the same person
    expect((await decideWith({ password: '', reauthTicket: 'forged-ticket' })).body.code).toBe('SIGNATURE_INVALID');
    expect(await lastAudit()).toMatchObject({ action: 'signature.failed', reason: 'unknown ticket' });
    expect((await decideWith({ password: '', reauthTicket: fresh.searchParams.get('reauth')! })).body.code).toBe(
      'SIGNATURE_INVALID',
    );
    const otherSession = (await exchange((await signInAt('sub-martin')).console.searchParams.get('handoff'))).body.login
      .accessToken as string;
    expect((await decideWith({ password: '', reauthTicket: await freshTicket(otherSession) })).body.code).toBe(
      'SIGNATURE_INVALID',
    );
    const ticket = await freshTicket(token);
    const decision = await decideWith({ password: '', reauthTicket: ticket });
    expect(decision.status).toBeLessThan(300);
    const signature = (
      await raw.all('SELECT signer_username, meaning FROM signatures ORDER BY signed_at DESC LIMIT 1')
    )[0];
    expect(signature.signer_username).toBe('dr.martin');
    // single use
    expect((await decideWith({ password: '', reauthTicket: ticket })).status).toBe(401);
    // a ticket whose provider login has grown too old by the time it is used (last: the server's clock stays ahead)
    const aging = await freshTicket(token);
    await t.advanceClock(121_000);
    expect((await decideWith({ password: '', reauthTicket: aging })).body.code).toBe('SIGNATURE_INVALID');
    // a local account has nothing to re-authenticate at the provider
    expect((await t.api.post('/api/auth/oidc/reauth', {}, admin)).status).toBe(400);
  });
});
