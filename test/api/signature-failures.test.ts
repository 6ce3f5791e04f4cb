/**
 * [UI-010] A failed password tells the person how many attempts remain before the account locks (sign-in
 * and signatures), counted alike for unknown names, and [UI-011] a wrong co-signer password is attributed to
 * the co-signer, not to the signed-in statistician (whose own counter is untouched).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newParticipant, randomize } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { signed } from './fixtures/unblinding-helpers.js';

describe('password failures: remaining attempts, and whose password failed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const login = (username: string, password = 'not-the-password') =>
    t.api.post('/api/auth/login', { username, password });

  it('[UI-010] sign-in: each 401 carries details.attemptsRemaining (4, 3, 2 …), the same sequence for an unknown name', async () => {
    const known = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      known.push(await login('auditor'));
      unknown.push(await login('nobody-at-all'));
    }
    for (const [i, res] of known.entries()) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: 'The username or password is not correct.',
        details: { attemptsRemaining: 4 - i },
      });
      // an unknown name is answered exactly alike: the count reveals nothing about which names exist
      expect(unknown[i].body).toEqual(res.body);
    }
    // a successful sign-in resets the count
    expect((await login('auditor', DEMO_PASSWORD)).status).toBe(200);
    expect((await login('auditor')).body.details).toEqual({ attemptsRemaining: 4 });
    expect((await login('auditor', DEMO_PASSWORD)).status).toBe(200);
  });

  it('[UI-010] a wrong signature password: SIGNATURE_INVALID with signer "self" and the attempts left', async () => {
    const token = await t.api.login('investigator1');
    const id = await newParticipant(t.api, token, { site: 'A' });
    const first = await randomize(t.api, token, id, `sigfail-${Date.now()}-1`, 'wrong-password');
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ code: 'SIGNATURE_INVALID', details: { signer: 'self', attemptsRemaining: 4 } });
    const second = await randomize(t.api, token, id, `sigfail-${Date.now()}-2`, 'wrong-password');
    expect(second.body.details).toEqual({ signer: 'self', attemptsRemaining: 3 });
    expect((await randomize(t.api, token, id, `sigfail-${Date.now()}-3`)).status).toBe(201);
  });

  it('[UI-011] end-of-study unblinding with a wrong co-signer password names the co-signer; the first signer is not charged', async () => {
    const stat = await t.api.login('statistician');
    expect(
      (await t.api.post('/api/study/lock', { ...signed(), reason: 'Last patient, last visit' }, stat)).status,
    ).toBe(200);
    const wrong = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: 'wrong-password' } },
      stat,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({
      code: 'SIGNATURE_INVALID',
      details: { signer: 'cosigner', attemptsRemaining: 4 },
    });
    // an unknown co-signer name gets the same answer shape and count
    const nobody = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'nobody-stat', password: 'wrong-password' } },
      stat,
    );
    expect(nobody.body).toEqual(wrong.body);
    // the signed-in statistician's own password was right: a wrong one of theirs would now say 4, not 3
    const own = await t.api.post(
      '/api/study/unblind',
      { ...signed('wrong-password'), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      stat,
    );
    expect(own.body).toMatchObject({ code: 'SIGNATURE_INVALID', details: { signer: 'self', attemptsRemaining: 4 } });
    const ok = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      stat,
    );
    expect(ok.status).toBe(200);
  });
});
