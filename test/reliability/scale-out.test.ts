import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newParticipant, pool, randomize } from '../support/factories.js';
import { createPostgresDatabase } from '../support/postgres-db.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { Api, DEMO_PASSWORD } from '../support/test-app.js';

/** Two server processes on one PostgreSQL, sharing no memory, with one storm split across both. */
describe('scale-out: two instances on one PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-scale-'));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('0 duplicates, 0 gaps, every stratum in order, a valid chain [RAND-007]', async () => {
    const url = await createPostgresDatabase('scale');
    const env = {
      DATABASE_URL: url,
      SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
      DEMO_PASSWORD,
      DEMO_STUDY_STATUS: 'setup',
      AUTH_THROTTLE_PER_MINUTE: '100000',
    };
    servers.push(await startServer(env));
    servers.push(await startServer({ ...env, DEMO: 'false' }));
    const [a, b] = servers.map((s) => new Api(s.baseUrl));

    const stat = await a.login('randstat');
    expect(
      (
        await a.post(
          '/api/study/scheme',
          { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'scale-seed-1', listLength: 60 },
          stat,
        )
      ).status,
    ).toBe(201);
    expect(
      (await b.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, await b.login('randstat')))
        .status,
    ).toBe(200);
    const tokens = { a: await a.login('investigator1'), b: await b.login('investigator1') };
    const courses = ['RRMS', 'SPMS', 'PPMS'] as const;
    const ids = await pool(
      16,
      Array.from(
        { length: 300 },
        (_, i) => () =>
          newParticipant(i % 2 ? b : a, i % 2 ? tokens.b : tokens.a, {
            site: 'A',
            course: courses[i % 3],
            edss: i % 4 < 2 ? 4 : 6,
          }),
      ),
    );
    const started = Date.now();
    const results = await pool(
      16,
      ids.map((id, i) => () => randomize(i % 2 ? a : b, i % 2 ? tokens.a : tokens.b, id, `scale-key-${i}`)),
    );
    const seconds = (Date.now() - started) / 1000;

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const allocations = (
      await db.query(
        'SELECT a.participant_id, a.randomization_number, a.stratum_key, l.position FROM allocations a JOIN list_entries l ON l.id = a.list_entry_id ORDER BY a.randomization_number',
      )
    ).rows;
    await db.end();
    const numbers = allocations.map((r) => Number(r.randomization_number));
    const byStratum = new Map<string, number[]>();
    for (const r of allocations)
      byStratum.set(r.stratum_key, [...(byStratum.get(r.stratum_key) ?? []), Number(r.position)]);
    const outOfOrder = [...byStratum.values()].filter((p) => p.some((x, i) => x !== i + 1)).length;
    const fiveXX = results.filter((r) => r.status >= 500).length;
    const duplicates = allocations.length - new Set(allocations.map((r) => r.participant_id)).size;
    const gaps = numbers.filter((n, i) => n !== i + 1).length;
    const verify = await a.get('/api/audit/verify', await a.login('auditor'));
    console.log(
      `scale-out: 2 instances, ${results.filter((r) => r.status === 201).length} randomized in ${seconds.toFixed(1)} s; 5xx=${fiveXX}; duplicates=${duplicates}; gaps=${gaps}; strata out of order=${outOfOrder}; chain valid=${verify.body.valid} (${verify.body.count} entries)`,
    );
    expect(fiveXX).toBe(0);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(duplicates).toBe(0);
    expect(gaps).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(verify.body.valid).toBe(true);
  }, 600_000); // restarts and storms take minutes on a loaded 2-core machine
});
