/**
 * Follow-up fix: the answer to a request that issues a set-password link says whether it was e-mailed
 * (`passwordLink.emailed`), so the console stops claiming an e-mail when no SMTP is configured (the
 * audit already recorded `emailed: false`). Covers create, reset, and the approval of a held account.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { NO_SMTP } from './fixtures/accounts.js';

const user = (username: string, role = 'investigator') => ({
  username,
  displayName: `Test ${username}`,
  role,
  siteCodes: role === 'investigator' ? ['A'] : [],
  email: `${username}@test.local`,
});

for (const [label, env, emailed] of [
  ['no SMTP_URL', {}, false],
  ['SMTP_URL set', NO_SMTP, true],
] as const) {
  describe(`set-password link answers with ${label} (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
    let t: TestApp;
    afterAll(async () => {
      await t?.close();
    });

    it(`create, reset and an approved held account answer passwordLink.emailed = ${emailed} [ACC-009]`, async () => {
      t = await startTestApp(env);
      const admin = await t.api.login('admin');
      const randstat = await t.api.login('randstat');

      const created = await t.api.post('/api/users', user('inv7'), admin);
      expect(created.status).toBe(201);
      expect(created.body.passwordLink).toEqual({ emailed, expiresAt: expect.any(String) });

      const reset = await t.api.post(`/api/users/${created.body.id}/reset-password`, { reason: 'forgot it' }, admin);
      expect(reset.status).toBe(200);
      expect(reset.body.passwordLink).toEqual({ emailed, expiresAt: expect.any(String) });

      // A held account: no link (and no passwordLink) until the approval, whose answer carries it.
      const held = await t.api.post('/api/users', user('pharm7', 'pharmacist'), admin);
      expect(held.status).toBe(201);
      expect(held.body.passwordLink).toBeUndefined();
      const decision = await t.api.post(
        `/api/role-grants/${held.body.pendingGrants[0].id}/decision`,
        { approve: true, comment: 'identity checked', signature: { password: DEMO_PASSWORD } },
        randstat,
      );
      expect(decision.status).toBe(200);
      expect(decision.body.passwordLink).toEqual({ emailed, expiresAt: expect.any(String) });
    });
  });
}
