import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { openRawDb } from '../support/raw-db.js';
import { newParticipant, randomize, type Course } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY } from '../support/index.js';

describe('a dynamic method (Pocock–Simon minimization) live, with replayable decisions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DEMO_STUDY_STATUS: 'setup' });
  });
  afterAll(async () => t.close());

  it('records each decision with its draw, probabilities and scores, and replays every one [RAND-012]', async () => {
    const stat = await t.api.login('randstat');
    const gen = await t.api.post(
      '/api/study/scheme',
      { method: 'minimization', params: { p: 0.8, imbalance: 'range' }, seed: 'minimization-seed' },
      stat,
    );
    expect(gen.status).toBe(201);
    expect(gen.body.live).toBe(true);
    expect((await t.api.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, stat)).status).toBe(
      200,
    );
    const inv = await t.api.login('investigator1');
    const courses: Course[] = ['RRMS', 'SPMS', 'PPMS'];
    for (let i = 0; i < 24; i++) {
      const id = await newParticipant(t.api, inv, { site: 'A', course: courses[i % 3], edss: i % 2 ? 4 : 6 });
      const r = await randomize(t.api, inv, id, `minim-key-${i}`);
      expect(r.status).toBe(201);
      expect(r.body.randomizationNumber).toBe(i + 1);
    }
    const raw = await openRawDb(t.config);
    let arms: string[];
    try {
      const rows = await raw.all(
        'SELECT arm_code, dynamic_record, list_entry_id FROM allocations ORDER BY randomization_number',
      );
      arms = rows.map((r) => r.arm_code);
      const record = JSON.parse(rows[5].dynamic_record);
      expect(record).toMatchObject({
        method: 'minimization',
        drawIndex: expect.any(Number),
        draw: expect.any(Number),
        probabilities: expect.any(Object),
        scores: expect.any(Object),
      });
      expect(rows.every((r) => r.list_entry_id === null)).toBe(true);
    } finally {
      await raw.close();
    }
    const counts = arms.reduce<Record<string, number>>((m, a) => ({ ...m, [a]: (m[a] ?? 0) + 1 }), {});
    // The study's master seed mixes the server's random bits with the phrase, so the imbalance varies from run to
    // run. These 24 patients under 15,000 random seeds (the engine alone): |D| = 0, 2, 4, 6, 8 in 9,762, 4,782, 427,
    // 26 and 3 runs. The bound was 4, and it failed once in CI at 6; above 6 is about 1 run in 5,000.
    expect(Math.abs((counts['MSC-PBO'] ?? 0) - (counts['PBO-MSC'] ?? 0))).toBeLessThanOrEqual(6);
    const args = usingPostgres
      ? ['--database-url', (t.config.database as any).url]
      : ['--db', (t.config.database as any).path];
    const out = execFileSync('node', [CLI_ENTRY, 'replay', ...args, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ allocations: 24, mismatches: [] });
  });
});
