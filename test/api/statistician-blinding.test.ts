/**
 * The trial statistician is blinded until end-of-study unblinding (issue 11, Build 4). Every GET
 * route the server publishes (read from its own OpenAPI document, so a new route is crawled without
 * editing this test), with every id it takes and every `format`, is called as the trial statistician,
 * the pharmacist and the randomization statistician. Before unblinding the statistician's answers
 * hold no arm; the two unblinded roles are the controls that MUST hit (the search can fail). After
 * the two-signature unblinding the same crawl must find arms for the statistician.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { blindedVocabulary, demoProtocol, leakHits } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { decide, randomizedPatient, requestUnblinding, reveal, signed } from './fixtures/unblinding-helpers.js';

type Role = 'statistician' | 'pharmacist' | 'randstat';

describe('the trial statistician sees no arm anywhere before end-of-study unblinding, and everything after', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const vocabulary = blindedVocabulary(demoProtocol());
  let paths: string[] = [];

  /** Every GET route of the OpenAPI document, with its `{id}` filled by each known record id and each `format`. */
  async function crawlPaths(ids: Record<string, string[]>): Promise<string[]> {
    const doc = (await t.api.get('/api/docs-json')).body;
    const out: string[] = [];
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      if (!ops.get) continue;
      // A study route (/api/studies/{studyCode}/x) is crawled on its v1 path (/api/x): the same route of the demo study.
      const template = path.replace('/api/studies/{studyCode}/', '/api/');
      const family = Object.keys(ids).find((k) => template.includes(`/${k}/`)) ?? 'participants';
      const filled = template.includes('{') ? ids[family].map((id) => template.replace(/\{[^}]+\}/g, id)) : [template];
      const formats = (ops.get.parameters ?? []).some((p: any) => p.name === 'format')
        ? ['', '?format=csv', '?format=json']
        : [''];
      for (const f of filled) for (const q of formats) out.push(f + q);
    }
    return out;
  }

  async function crawl(role: Role): Promise<{ hits: string[]; errors: string[] }> {
    const hits: string[] = [];
    const errors: string[] = [];
    for (const path of paths) {
      const res = await t.api.get(path, tokens[role]);
      if (res.status >= 500) errors.push(`${path}: ${res.status}`);
      for (const h of leakHits(res.text, vocabulary)) hits.push(`${path}: ${h}`);
    }
    return { hits, errors };
  }

  beforeAll(async () => {
    t = await startTestApp();
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
    const patients = [
      await randomizedPatient(t.api, tokens.investigator1, 'A'),
      await randomizedPatient(t.api, tokens.investigator1, 'A'),
    ];
    expect(
      (
        await t.api.post(
          '/api/pharmacy/dispensations',
          { participantId: patients[0], period: 1, lotNumber: 'CELL-1', ...signed() },
          tokens.pharmacist,
        )
      ).status,
    ).toBe(201);
    const request = (await requestUnblinding(t.api, tokens.investigator1, patients[0])).body.id;
    expect((await decide(t.api, tokens.monitor, request, true)).status).toBeLessThan(300);
    expect((await reveal(t.api, tokens.investigator1, request)).status).toBe(200);
    // a correction by the statistician, so their own writes are covered too
    expect(
      (
        await t.api.post(
          `/api/participants/${patients[1]}/corrections`,
          { field: 'age', newValue: 33, reason: 'transcription', ...signed() },
          tokens.statistician,
        )
      ).status,
    ).toBe(201);
    const audit = (await t.api.get('/api/audit?limit=500', tokens.auditor)).body.entries;
    const signatureIds = [
      ...new Set(audit.map((e: any) => e.details?.signatureId).filter((x: unknown) => typeof x === 'string')),
    ] as string[];
    const users = (await t.api.get('/api/users', tokens.admin)).body.map((u: any) => u.id).slice(0, 2);
    paths = await crawlPaths({
      participants: patients,
      'unblinding-requests': [request],
      signatures: signatureIds,
      users,
    });
    expect(paths.length).toBeGreaterThan(25);
  });
  afterAll(async () => t.close());

  it('before unblinding: 0 hits for the statistician over every GET route; the pharmacist and the randomization statistician hit [BLIND-003]', async () => {
    const asStatistician = await crawl('statistician');
    const asPharmacist = await crawl('pharmacist');
    const asRandstat = await crawl('randstat');
    console.log(
      `statistician crawl: ${paths.length} GET paths; hits statistician=${asStatistician.hits.length} pharmacist=${asPharmacist.hits.length} randstat=${asRandstat.hits.length}`,
    );
    expect(asStatistician.errors).toEqual([]);
    expect(asStatistician.hits).toEqual([]);
    expect(asPharmacist.hits.length).toBeGreaterThan(0);
    expect(asRandstat.hits.length).toBeGreaterThan(0);
    // the randomization statistician's list and allocation log in particular
    expect(asRandstat.hits.some((h) => h.startsWith('/api/study/scheme'))).toBe(true);
    expect(asRandstat.hits.some((h) => h.startsWith('/api/allocation-log'))).toBe(true);
    // the statistician's design view: method and parameters, no list
    const design = await t.api.get('/api/study/scheme', tokens.statistician);
    expect(design.status).toBe(200);
    expect(design.body.method).toBe('permuted-block');
    expect(design.body).not.toHaveProperty('strata');
    expect((await t.api.get('/api/study', tokens.statistician)).body.armRatios).toEqual([1, 1]);
    // design simulations run on neutral group names for the blinded statistician, on arm codes for randstat
    const sim = { method: 'permuted-block', params: { blockSizes: [4] }, n: 24, trials: 20 };
    const asStat = await t.api.post('/api/simulations', sim, tokens.statistician);
    expect([asStat.status, asStat.status === 200 ? '' : asStat.text]).toEqual([200, '']);
    expect(leakHits(asStat.text, vocabulary)).toEqual([]);
    expect(asStat.text).toContain('G1');
    expect(
      leakHits((await t.api.post('/api/simulations', sim, tokens.randstat)).text, vocabulary).length,
    ).toBeGreaterThan(0);
  });

  it('the randomization statistician takes no part in the analysis: no lock, no unblinding, no CDISC export [BLIND-012]', async () => {
    expect((await t.api.post('/api/study/lock', signed(), tokens.randstat)).status).toBe(403);
    expect((await t.api.get('/api/exports/cdisc', tokens.randstat)).status).toBe(403);
    expect((await t.api.get('/api/participants', tokens.randstat)).status).toBe(403);
    expect((await t.api.get('/api/audit', tokens.randstat)).status).toBe(403);
  });

  it('after the two-signature unblinding the statistician sees arms: allocation log, participants, audit details, CDISC export [BLIND-003, EXP-002]', async () => {
    expect((await t.api.post('/api/study/lock', signed(), tokens.statistician)).status).toBe(200);
    expect((await crawl('statistician')).hits).toEqual([]); // locked is still blind
    const ok = await t.api.post(
      '/api/study/unblind',
      { ...signed(), secondSignature: { username: 'statistician2', password: DEMO_PASSWORD } },
      tokens.statistician,
    );
    expect(ok.status).toBe(200);
    const after = await crawl('statistician');
    expect(after.errors).toEqual([]);
    for (const route of [
      '/api/allocation-log',
      '/api/participants',
      '/api/audit',
      '/api/exports/cdisc',
      '/api/study',
      '/api/study/scheme',
    ]) {
      expect([route, after.hits.some((h) => h.startsWith(route))]).toEqual([route, true]);
    }
    // the other blinded roles stay blinded
    for (const u of ['auditor', 'monitor', 'investigator1', 'admin']) {
      for (const path of ['/api/study', '/api/allocation-log', '/api/participants', '/api/audit?limit=500']) {
        expect([u, path, leakHits((await t.api.get(path, tokens[u])).text, vocabulary)]).toEqual([u, path, []]);
      }
    }
  });
});
