/**
 * The OpenAPI document carries the contract: response schemas generated from shared/contract
 * (server/bin/contract-schemas.mjs) for every route, and real answers of the API validate against them
 * (ajv, no extra field allowed: a field the shared type does not name fails here).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Ajv } from 'ajv';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { newParticipant, randomize } from '../support/factories.js';

type Operation = {
  operationId: string;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/** Every `$ref` inside a schema. */
function refsOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) schema.forEach((s) => refsOf(s, out));
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

/** Answers that are not JSON: a CSV export, an HTML report, 204 No Content, the identity provider's redirect (303). */
const NOT_JSON = new Set([
  'AuditController_exportCsv',
  'InstanceAuditController_exportCsv',
  'ExportsController_cdisc',
  'AccessReviewController_csv',
  'QualificationController_html',
  'AuthController_setPassword',
  'AuthController_logout',
  'SecondFactorController_reset',
  'OidcController_callback',
]);

describe('the OpenAPI document carries response schemas generated from the shared contract [REL-007]', () => {
  let t: TestApp;
  let doc: any;
  let ajv: Ajv;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.api.get('/api/docs-json')).body;
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: doc.components }, 'openapi');
    for (const u of ['admin', 'investigator1', 'pharmacist', 'monitor', 'statistician', 'randstat', 'auditor'])
      tokens[u] = await t.api.login(u);
  });
  afterAll(async () => t?.close());

  /** The 2xx JSON schema of the operation that serves `method path` (a path template of the document). */
  function responseSchema(method: string, template: string): unknown {
    // A study route is documented under its study (docs/API.md); the calls below use the v1 path of the first study.
    const op: Operation =
      doc.paths[template]?.[method] ?? doc.paths[template.replace(/^\/api\//, '/api/studies/{studyCode}/')]?.[method];
    if (!op) throw new Error(`no ${method} ${template} in the document`);
    const code = Object.keys(op.responses ?? {}).find((c) => /^2\d\d$/.test(c))!;
    return op.responses![code].content?.['application/json']?.schema;
  }

  function expectValid(method: string, template: string, body: unknown): void {
    const schema = JSON.parse(
      JSON.stringify(responseSchema(method, template)).replaceAll('"#/components/', '"openapi#/components/'),
    );
    const validate = ajv.compile(schema as object);
    const ok = validate(body);
    expect({ route: `${method.toUpperCase()} ${template}`, errors: ok ? null : validate.errors?.slice(0, 5) }).toEqual({
      route: `${method.toUpperCase()} ${template}`,
      errors: null,
    });
  }

  it('every GET and POST route has a 2xx response whose JSON schema is a $ref that resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const schemas = doc.components?.schemas ?? {};
    expect(Object.keys(schemas).length).toBeGreaterThan(50);
    const checked: string[] = [];
    for (const [template, item] of Object.entries<Record<string, Operation>>(doc.paths)) {
      for (const method of ['get', 'post'] as const) {
        const op = item[method];
        if (!op) continue;
        const codes = Object.keys(op.responses ?? {}).filter((c) => /^2\d\d$/.test(c));
        expect({ op: op.operationId, codes: codes.length > 0 }).toEqual({ op: op.operationId, codes: true });
        if (NOT_JSON.has(op.operationId)) continue;
        const schema = op.responses![codes[0]].content?.['application/json']?.schema;
        const refs = refsOf(schema);
        expect({ op: op.operationId, hasRef: refs.length > 0 }).toEqual({ op: op.operationId, hasRef: true });
        for (const ref of refs)
          expect({
            ref,
            resolves: ref.startsWith('#/components/schemas/') && ref.slice('#/components/schemas/'.length) in schemas,
          }).toEqual({ ref, resolves: true });
        checked.push(`${method.toUpperCase()} ${template}`);
      }
    }
    expect(checked.length).toBeGreaterThan(55);
    // Every reference inside the components resolves too (a generated client follows them all).
    for (const ref of refsOf(schemas)) expect(ref.slice('#/components/schemas/'.length) in schemas).toBe(true);
  });

  it('real answers of the API validate against their schemas, blinded and unblinded', async () => {
    const api = t.api;
    const inv = tokens.investigator1;
    // A randomized patient, a correction-free detail, an unblinding request and the notifications it sends.
    const id = await newParticipant(api, inv);
    const randomized = await randomize(api, inv, id, randomUUID());
    expect(randomized.status).toBe(201);
    expectValid('post', '/api/participants/{id}/randomize', randomized.body);
    const request = await api.post(
      '/api/unblinding-requests',
      {
        participantId: id,
        reason: 'Severe reaction, treating physician needs the product',
        emergency: true,
        signature: { password: DEMO_PASSWORD },
      },
      inv,
    );
    expect(request.status).toBe(201);
    expectValid('post', '/api/unblinding-requests', request.body);

    const gets: Array<[string, string, string]> = [
      ['/api/health', '/api/health', 'admin'],
      ['/api/auth/me', '/api/auth/me', 'investigator1'],
      ['/api/study', '/api/study', 'investigator1'],
      ['/api/study', '/api/study', 'randstat'],
      ['/api/study/signatures', '/api/study/signatures', 'auditor'],
      ['/api/study/scheme?format=json', '/api/study/scheme', 'randstat'],
      ['/api/study/scheme?format=json', '/api/study/scheme', 'statistician'],
      ['/api/participants', '/api/participants', 'investigator1'],
      ['/api/participants', '/api/participants', 'pharmacist'],
      [`/api/participants/${id}`, '/api/participants/{id}', 'investigator1'],
      [`/api/participants/${id}`, '/api/participants/{id}', 'pharmacist'],
      ['/api/pharmacy/tasks', '/api/pharmacy/tasks', 'pharmacist'],
      ['/api/allocation-log?format=json', '/api/allocation-log', 'auditor'],
      ['/api/unblinding-requests', '/api/unblinding-requests', 'monitor'],
      ['/api/notifications', '/api/notifications', 'monitor'],
      ['/api/audit?limit=20', '/api/audit', 'auditor'],
      ['/api/audit/checkpoints', '/api/audit/checkpoints', 'auditor'],
      ['/api/users', '/api/users', 'admin'],
      ['/api/sites', '/api/sites', 'admin'],
      ['/api/envelopes', '/api/envelopes', 'randstat'],
      ['/api/unblinding-register', '/api/unblinding-register', 'auditor'],
    ];
    for (const [path, template, user] of gets) {
      const res = await api.get(path, tokens[user]);
      expect({ path, user, status: res.status }).toEqual({ path, user, status: 200 });
      expectValid('get', template, res.body);
    }
  });
});
