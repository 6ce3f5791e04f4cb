import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newParticipant, randomize } from '../support/factories.js';
import { openRawDb } from '../support/raw-db.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY } from '../support/index.js';

describe('importing an externally generated list', () => {
  let t: TestApp;
  let stat: string;
  beforeAll(async () => {
    t = await startTestApp({ DEMO_STUDY_STATUS: 'setup' });
    stat = await t.api.login('randstat');
  });
  afterAll(async () => t.close());

  it('validates the CSV (errors name the line), stores it as the scheme, and randomizes from it [RAND-013, EMERG-013]', async () => {
    const csv = (await t.api.get('/api/study/scheme?format=csv', stat)).text; // the demo draft, as another tool would export it
    const lines = csv.trim().split('\n');
    const broken = [
      ...lines.slice(0, 3),
      lines[3].replace(/,(MSC-PBO|PBO-MSC),/, ',NOT-AN-ARM,'),
      ...lines.slice(4),
    ].join('\n');
    const bad = await t.api.request('POST', '/api/study/scheme/import', {
      token: stat,
      raw: broken,
      headers: { 'content-type': 'text/csv' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.message).toMatch(/line 4/);
    expect(bad.body.message).toContain('NOT-AN-ARM');
    // [EMERG-013] the problems also come as a list by line, which the console shows as a list
    expect(bad.body.details.problems).toEqual([
      { line: 4, message: expect.stringContaining('unknown arm "NOT-AN-ARM"') },
    ]);

    const res = await t.api.request('POST', '/api/study/scheme/import', {
      token: stat,
      raw: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ method: 'import', algorithm: 'imported', state: 'draft' });
    expect(res.body.strata.reduce((n: number, s: any) => n + s.size, 0)).toBe(lines.length - 1);
    const asJson = await t.api.post('/api/study/scheme/import', { csv }, stat);
    expect(asJson.status).toBe(201);
    // The same list imported twice gets two fingerprints: each import has its own secret salt, so a
    // fingerprint cannot be matched by fingerprinting guessed lists.
    expect(asJson.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(asJson.body.fingerprint).not.toBe(res.body.fingerprint);
    expect((await t.api.get('/api/study/scheme?format=csv', stat)).text).toBe(csv);
    // With the salt (released at end-of-study unblinding; read here from the database) the CLI
    // recomputes the published fingerprint from the list alone; without it, it cannot.
    const raw = await openRawDb(t.config);
    const [{ salt }] = await raw.all("SELECT salt FROM schemes WHERE state = 'draft'");
    await raw.close();
    const csvFile = join(t.dir, 'imported.csv');
    writeFileSync(csvFile, csv);
    const cliArgs = [
      CLI_ENTRY,
      'list',
      'fingerprint',
      '--protocol',
      join(process.cwd(), 'protocols', 'msct-ms.yaml'),
      '--list',
      csvFile,
      '--fingerprint',
      asJson.body.fingerprint,
    ];
    // Asynchronous, so the test's idle keep-alive connections are not reused after the server closed them.
    const run = promisify(execFile);
    expect((await run('node', [...cliArgs, '--salt', salt])).stdout).toBe(`fingerprint ${asJson.body.fingerprint}\n`);
    await expect(run('node', cliArgs)).rejects.toMatchObject({ code: 2 });
    expect((await t.api.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, stat)).status).toBe(
      200,
    );

    const inv = await t.api.login('investigator1');
    const id = await newParticipant(t.api, inv, { site: 'A', course: 'RRMS', edss: 4 });
    const r = await randomize(t.api, inv, id, 'import-key-0001');
    expect(r.status).toBe(201);
    const first = lines.find((l) => l.startsWith('course=RRMS|edss=LE5|site=A,1,'))!;
    expect(r.body.treatmentCode).toBe(first.split(',')[3]);
  });
});
