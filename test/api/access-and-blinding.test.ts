import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  blindedVocabulary,
  demoProtocol,
  eligibleAnswers,
  leakHits,
  newParticipant,
  randomize,
} from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

const ROLES = [
  'admin',
  'investigator1',
  'investigator2',
  'pharmacist',
  'monitor',
  'statistician',
  'randstat',
  'auditor',
] as const;
type User = (typeof ROLES)[number];

describe('object-level access (QUALITY 9) and the blinding of every API response (QUALITY 10)', () => {
  let t: TestApp;
  const tokens = {} as Record<User, string>;
  let siteA: string; // randomized and dispensed patient of site A
  let siteAEligible: string; // eligible, not yet randomized, site A
  let requestId: string; // an approved and revealed emergency unblinding request for siteA, by investigator1
  const vocabulary = blindedVocabulary(demoProtocol());

  beforeAll(async () => {
    t = await startTestApp();
    for (const u of ROLES) tokens[u] = await t.api.login(u);
    siteA = await newParticipant(t.api, tokens.investigator1, { site: 'A' });
    siteAEligible = await newParticipant(t.api, tokens.investigator1, { site: 'A', course: 'PPMS' });
    expect((await randomize(t.api, tokens.investigator1, siteA, 'matrix-key-0001')).status).toBe(201);
    const b = await newParticipant(t.api, tokens.investigator2, { site: 'B' });
    expect((await randomize(t.api, tokens.investigator2, b, 'matrix-key-0002')).status).toBe(201);
    expect(
      (
        await t.api.post(
          '/api/pharmacy/dispensations',
          { participantId: siteA, period: 1, lotNumber: 'CELL-77', signature: { password: DEMO_PASSWORD } },
          tokens.pharmacist,
        )
      ).status,
    ).toBe(201);
    // an emergency unblinding, decided and revealed, so the crawl also covers requests, the register and notifications
    const request = await t.api.post(
      '/api/unblinding-requests',
      {
        participantId: siteA,
        reason: 'Anaphylaxis after the infusion',
        emergency: true,
        signature: { password: DEMO_PASSWORD },
      },
      tokens.investigator1,
    );
    expect(request.status).toBe(201);
    requestId = request.body.id;
    expect(
      (
        await t.api.post(
          `/api/unblinding-requests/${requestId}/decision`,
          { approve: true, comment: 'approved for patient safety', signature: { password: DEMO_PASSWORD } },
          tokens.monitor,
        )
      ).status,
    ).toBeLessThan(300);
    expect((await t.api.get(`/api/unblinding-requests/${requestId}/reveal`, tokens.investigator1)).status).toBe(200);
  });
  afterAll(async () => t.close());

  it("every participant and pharmacy endpoint × every role × another site's record: 0 violations [ACC-006]", async () => {
    const signed = { signature: { password: DEMO_PASSWORD } };
    type Case = {
      name: string;
      call: (u: User) => Promise<{ status: number; body: any }>;
      expect: Record<User, number>;
    };
    const all = (status: number, overrides: Partial<Record<User, number>> = {}) =>
      Object.fromEntries(ROLES.map((r) => [r, overrides[r] ?? status])) as Record<User, number>;
    let n = 0;
    const cases: Case[] = [
      {
        name: 'GET /participants/:id (site A)',
        call: (u) => t.api.get(`/api/participants/${siteA}`, tokens[u]),
        expect: all(200, { admin: 403, investigator2: 404, randstat: 403 }),
      },
      {
        name: 'GET /participants',
        call: (u) => t.api.get('/api/participants', tokens[u]),
        expect: all(200, { admin: 403, randstat: 403 }),
      },
      {
        name: 'POST /participants at site A',
        call: (u) =>
          t.api.post(
            '/api/participants',
            { siteCode: 'A', screeningNumber: `M-${u}-${++n}`, ...eligibleAnswers() },
            tokens[u],
          ),
        expect: all(403, { investigator1: 201 }),
      },
      {
        name: 'POST /participants/:id/randomize (site A)',
        call: (u) =>
          t.api.post(`/api/participants/${siteAEligible}/randomize`, signed, tokens[u], {
            'idempotency-key': `matrix-${u}-rand`,
          }),
        expect: all(403, { investigator1: 201, investigator2: 404 }),
      },
      {
        name: 'POST /participants/:id/corrections (site A)',
        call: (u) =>
          t.api.post(
            `/api/participants/${siteA}/corrections`,
            { field: 'age', newValue: 20 + ++n, reason: 'matrix check', ...signed },
            tokens[u],
          ),
        expect: all(403, { investigator1: 201, investigator2: 404, statistician: 201 }),
      },
      {
        name: 'GET /pharmacy/tasks',
        call: (u) => t.api.get('/api/pharmacy/tasks', tokens[u]),
        expect: all(403, { pharmacist: 200 }),
      },
      {
        name: 'POST /pharmacy/dispensations',
        call: (u) =>
          t.api.post(
            '/api/pharmacy/dispensations',
            { participantId: siteA, period: 2, lotNumber: `L-${u}`, ...signed },
            tokens[u],
          ),
        expect: all(403, { pharmacist: 201 }),
      },
      {
        name: 'GET /unblinding-requests/:id (site A)',
        call: (u) => t.api.get(`/api/unblinding-requests/${requestId}`, tokens[u]),
        expect: all(403, { investigator1: 200, investigator2: 404, monitor: 200, auditor: 200 }),
      },
      {
        name: 'GET /unblinding-requests/:id/reveal (site A)',
        call: (u) => t.api.get(`/api/unblinding-requests/${requestId}/reveal`, tokens[u]),
        expect: all(403, { investigator1: 200, investigator2: 404 }),
      },
      {
        name: 'GET /unblinding-register',
        call: (u) => t.api.get('/api/unblinding-register', tokens[u]),
        expect: all(403, { auditor: 200 }),
      },
      {
        name: 'GET /allocation-log',
        call: (u) => t.api.get('/api/allocation-log', tokens[u]),
        expect: all(403, { pharmacist: 200, statistician: 200, randstat: 200, auditor: 200 }),
      },
    ];
    const violations: string[] = [];
    for (const c of cases) {
      for (const u of ROLES) {
        const res = await c.call(u);
        if (res.status !== c.expect[u])
          violations.push(
            `${c.name} as ${u}: ${res.status} (expected ${c.expect[u]}) ${JSON.stringify(res.body).slice(0, 120)}`,
          );
        if (res.status === 404 && JSON.stringify(res.body).includes(siteA))
          violations.push(`${c.name} as ${u}: the 404 names the record`);
      }
    }
    const list2 = (await t.api.get('/api/participants', tokens.investigator2)).body;
    if (list2.some((p: any) => p.siteCode !== 'B')) violations.push('investigator2 lists patients of another site');
    console.log(`QUALITY 9: ${cases.length} endpoints × ${ROLES.length} users, violations=${violations.length}`);
    expect(violations).toEqual([]);
  });

  it('no blinded role receives an arm field, arm code, arm label, product or sequence name from any endpoint [BLIND-001]', async () => {
    const blinded: User[] = ['admin', 'investigator1', 'investigator2', 'monitor', 'statistician', 'auditor'];
    const paths = [
      '/api/auth/me',
      '/api/study',
      '/api/participants',
      `/api/participants/${siteA}`,
      `/api/participants/${siteAEligible}`,
      '/api/allocation-log',
      '/api/allocation-log?format=csv',
      '/api/audit?limit=500',
      '/api/audit/verify',
      '/api/audit/checkpoints',
      '/api/pharmacy/tasks',
      '/api/study/scheme',
      '/api/study/scheme?format=csv',
      '/api/users',
      '/api/sites',
      '/api/no-such-endpoint',
      `/api/participants/00000000-0000-4000-8000-000000000000`,
      '/api/unblinding-requests',
      `/api/unblinding-requests/${requestId}`,
      '/api/unblinding-register',
      '/api/unblinding-register?format=csv',
      '/api/notifications',
      '/api/exports/cdisc',
      '/api/study/scheme/release',
    ];
    let responses = 0;
    const hits: string[] = [];
    for (const u of blinded) {
      for (const path of paths) {
        const res = await t.api.get(path, tokens[u]);
        responses++;
        expect(res.status).toBeLessThan(500);
        for (const h of leakHits(res.text, vocabulary)) hits.push(`${u} ${path}: ${h}`);
      }
      // the reveal is the one unblinded answer, and only for its requester
      if (u !== 'investigator1') {
        const reveal = await t.api.get(`/api/unblinding-requests/${requestId}/reveal`, tokens[u]);
        responses++;
        expect(reveal.status).toBeGreaterThanOrEqual(400);
        for (const h of leakHits(reveal.text, vocabulary)) hits.push(`${u} reveal: ${h}`);
      }
      // error bodies of writes, too
      for (const res of [
        await t.api.post(
          `/api/participants/${siteA}/randomize`,
          { signature: { password: DEMO_PASSWORD } },
          tokens[u],
          { 'idempotency-key': `leak-${u}-0001` },
        ),
        await t.api.post(
          '/api/pharmacy/dispensations',
          { participantId: siteA, period: 2, lotNumber: 'X1', signature: { password: DEMO_PASSWORD } },
          tokens[u],
        ),
      ]) {
        responses++;
        for (const h of leakHits(res.text, vocabulary)) hits.push(`${u} write: ${h}`);
      }
    }
    console.log(
      `QUALITY 10 (API): ${responses} responses to blinded roles searched for ${vocabulary.length} values and 9 field names, hits=${hits.length}`,
    );
    expect(hits).toEqual([]);
    // the search itself can fail: an unblinded response does contain them
    expect(leakHits((await t.api.get('/api/allocation-log', tokens.randstat)).text, vocabulary).length).toBeGreaterThan(
      0,
    );
  });
});
