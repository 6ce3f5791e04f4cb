/**
 * No self-granted unblinding (issue 11, Build 5). Each escalation an admin could use alone — an
 * unblinded account with a password of their choice, a reset of the real pharmacist's password, two
 * statistician or two monitor accounts for the two-signature and two-person rules, a puppet admin to
 * approve — is refused or held until a second, independent person signs. Before this change every
 * one of these requests answered 2xx and took effect at once.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openRawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { createAccount, linkToken, NO_SMTP, setPassword } from './fixtures/accounts.js';
import { signed } from './fixtures/unblinding-helpers.js';

describe('no self-granted unblinding: held grants and one-time set-password links', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const approve = (grantId: string, token: string, yes = true) =>
    t.api.post(`/api/role-grants/${grantId}/decision`, { approve: yes, comment: 'checked', ...signed() }, token);
  const create = (body: Record<string, unknown>) =>
    t.api.post(
      '/api/users',
      { siteCodes: [], displayName: `Test ${body.username}`, email: `${body.username}@test.local`, ...body },
      tokens.admin,
    );

  beforeAll(async () => {
    t = await startTestApp(NO_SMTP);
    for (const u of [
      'admin',
      'investigator1',
      'pharmacist',
      'monitor',
      'statistician',
      'statistician2',
      'randstat',
      'auditor',
    ])
      tokens[u] = await t.api.login(u);
    for (const u of (await t.api.get('/api/users', tokens.admin)).body) ids[u.username] = u.id;
    // a second admin made by the first one: a puppet, whose approvals must not count for the first
    tokens.admin2 = (await createAccount(t, tokens.admin, { username: 'admin2', role: 'admin' })).token;
  });
  afterAll(async () => t.close());

  it("an unblinded account with a password of the admin's choice: refused; without one it is held, inactive, with no link [ACC-008]", async () => {
    const chosen = await create({ username: 'pharm2', role: 'pharmacist', password: 'chosen-by-admin-1' });
    expect([chosen.status, chosen.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const held = await create({ username: 'pharm2', role: 'pharmacist' });
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({
      active: false,
      role: 'pharmacist',
      pendingGrants: [
        { kind: 'create', role: 'pharmacist', email: 'pharm2@test.local', status: 'pending', requestedBy: 'admin' },
      ],
    });
    expect(await linkToken(t, 'pharm2@test.local')).toBeNull();
    const grant = held.body.pendingGrants[0].id;
    // not by the requester, not by an account the requester created
    expect((await approve(grant, tokens.admin)).status).toBe(403);
    expect((await approve(grant, tokens.admin2)).status).toBe(403);
    // roles without the authority to approve
    for (const u of ['pharmacist', 'statistician', 'monitor', 'auditor', 'investigator1'])
      expect((await approve(grant, tokens[u])).status).toBe(403);
    expect((await t.api.get('/api/role-grants?status=pending', tokens.randstat)).body.map((g: any) => g.id)).toContain(
      grant,
    );
    // everyone concerned hears of it: unblinded staff, statisticians, approvers
    for (const u of ['pharmacist', 'randstat', 'statistician', 'statistician2', 'admin']) {
      expect([
        u,
        (await t.api.get('/api/notifications', tokens[u])).body.items.some(
          (n: any) => n.kind === 'role-grant.requested' && n.title.includes('pharm2'),
        ),
      ]).toEqual([u, true]);
    }
    // the independent randomization statistician signs; only then the link goes to the user's own address
    const ok = await approve(grant, tokens.randstat);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: 'randstat' });
    expect((await approve(grant, tokens.randstat)).body.code).toBe('INVALID_TRANSITION');
    const link = await linkToken(t, 'pharm2@test.local');
    expect(link).toEqual(expect.any(String));
    expect((await setPassword(t, link!)).status).toBe(204);
    expect(await t.api.login('pharm2')).toEqual(expect.any(String));
    const audit = (await t.api.get(`/api/admin/audit?entityId=${held.body.id}`, tokens.auditor)).body.entries.map(
      (e: any) => e.action,
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        'user.created',
        'user.grant_requested',
        'user.grant_approved',
        'user.password_link_issued',
        'user.password_set',
      ]),
    );
    const decision = (
      await t.api.get(`/api/admin/audit?action=user.grant_approved&entityId=${held.body.id}`, tokens.auditor)
    ).body.entries[0];
    expect(
      (await t.api.get(`/api/signatures/${decision.details.signatureId}/verification`, tokens.auditor)).body.valid,
    ).toBe(true);
  });

  it("resetting the real pharmacist's password: no chosen password, and the link is held until a second person approves [ACC-008]", async () => {
    expect(
      (
        await t.api.post(
          `/api/users/${ids.pharmacist}/reset-password`,
          { newPassword: 'admin-knows-it-1' },
          tokens.admin,
        )
      ).status,
    ).toBe(400);
    const reset = await t.api.post(`/api/users/${ids.pharmacist}/reset-password`, { reason: 'forgot' }, tokens.admin);
    expect(reset.status).toBe(200);
    expect(reset.body.pendingGrants).toEqual([expect.objectContaining({ kind: 'password-reset', role: 'pharmacist' })]);
    expect(await linkToken(t, 'pharmacist@blindrand.local')).toBeNull();
    expect(await t.api.login('pharmacist')).toEqual(expect.any(String)); // nothing changed yet
    // re-addressing the pharmacist's e-mail to the admin's own is held too
    const readdress = await t.api.patch(
      `/api/users/${ids.pharmacist}`,
      { email: 'admin-inbox@test.local' },
      tokens.admin,
    );
    expect(readdress.body).toMatchObject({
      email: 'pharmacist@blindrand.local',
      pendingGrants: expect.arrayContaining([
        expect.objectContaining({ kind: 'email', email: 'admin-inbox@test.local' }),
      ]),
    });
    const reject = readdress.body.pendingGrants.find((g: any) => g.kind === 'email').id;
    expect((await approve(reject, tokens.randstat, false)).body.status).toBe('rejected');
    expect((await t.api.get(`/api/users/${ids.pharmacist}`, tokens.admin)).body.email).toBe(
      'pharmacist@blindrand.local',
    );
    expect((await approve(reset.body.pendingGrants[0].id, tokens.randstat)).status).toBe(200);
    expect(await linkToken(t, 'pharmacist@blindrand.local')).toEqual(expect.any(String));
    expect(await linkToken(t, 'admin-inbox@test.local')).toBeNull();
  });

  it('two statisticians or two monitors made by one admin cannot meet the two-signature or two-person rule [ACC-008]', async () => {
    const made: string[] = [];
    for (const [username, role] of [
      ['stat3', 'statistician'],
      ['stat4', 'statistician'],
      ['mon3', 'medical_monitor'],
      ['mon4', 'medical_monitor'],
    ]) {
      const res = await create({ username, role });
      expect([username, res.status, res.body.active, res.body.pendingGrants.length]).toEqual([username, 201, false, 1]);
      made.push(res.body.pendingGrants[0].id);
      expect((await t.api.post('/api/auth/login', { username, password: DEMO_PASSWORD })).status).toBe(401);
    }
    for (const g of made) for (const u of ['admin', 'admin2']) expect((await approve(g, tokens[u])).status).toBe(403);
    // a puppet admin requests, the admin who made it approves: refused the other way round too
    const viaPuppet = await t.api.post(
      '/api/users',
      { username: 'mon5', displayName: 'Mon Five', role: 'medical_monitor', siteCodes: [], email: 'mon5@test.local' },
      tokens.admin2,
    );
    expect((await approve(viaPuppet.body.pendingGrants[0].id, tokens.admin)).status).toBe(403);
    // changing an investigator's role to medical monitor, or re-activating a deactivated pharmacist, is held as well
    const promoted = await t.api.patch(
      `/api/users/${ids.investigator1}`,
      { role: 'medical_monitor', siteCodes: [] },
      tokens.admin,
    );
    expect(promoted.body).toMatchObject({
      role: 'investigator',
      siteCodes: ['A'],
      pendingGrants: [expect.objectContaining({ kind: 'role', role: 'medical_monitor' })],
    });
    const pharm2 = (await t.api.get('/api/users', tokens.admin)).body.find((u: any) => u.username === 'pharm2');
    expect((await t.api.patch(`/api/users/${pharm2.id}`, { active: false }, tokens.admin)).body.active).toBe(false);
    const back = await t.api.patch(`/api/users/${pharm2.id}`, { active: true }, tokens.admin);
    expect(back.body).toMatchObject({
      active: false,
      pendingGrants: [expect.objectContaining({ kind: 'reactivate' })],
    });
    // the end-of-study unblinding cannot be co-signed by an account still held
    expect((await t.api.post('/api/study/lock', signed(), tokens.statistician)).status).toBe(200);
    const unblind = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'stat3', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect(unblind.status).toBeGreaterThanOrEqual(400);
    expect((await t.api.get('/api/study', tokens.statistician)).body.status).toBe('locked');
  });

  it('a set-password link is stored hashed, works once and expires after 72 hours [ACC-009]', async () => {
    const res = await create({ username: 'aud2', role: 'auditor' });
    expect(res.body.active).toBe(true); // not a sensitive role: no hold
    const token = (await linkToken(t, 'aud2@test.local'))!;
    const raw = await openRawDb(t.config);
    try {
      const rows = await raw.all('SELECT token_hash FROM password_tokens WHERE user_id = ?', [res.body.id]);
      expect(rows).toHaveLength(1);
      expect(String(rows[0].token_hash)).not.toContain(token);
    } finally {
      await raw.close();
    }
    await t.advanceClock(73 * 3600_000);
    const late = await setPassword(t, token);
    expect([late.status, late.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await t.api.post('/api/auth/login', { username: 'aud2', password: DEMO_PASSWORD })).status).toBe(401);
  });
});
