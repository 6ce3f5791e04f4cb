import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { newParticipant, pool, randomize } from '../support/factories.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { Api, DEMO_PASSWORD } from '../support/test-app.js';

interface Cluster {
  url: string;
  halt(): Promise<void>;
  resume(): Promise<void>;
  stop(): void;
}

/**
 * Fault injection, PostgreSQL: the database server is stopped (fast shutdown: every session is
 * terminated with 57P01, new connections are refused) in the middle of a randomization storm and
 * started again 4 s later. Clients must get 503 DATABASE_UNAVAILABLE with Retry-After, never 500;
 * health says 503; the server reconnects by itself (no restart); and after a SIGKILL and restart every
 * 201 a client saw is stored, no number or code went to two patients, and the chain verifies.
 * Runs its own throwaway cluster (test/support/postgres-cluster.mjs) so it can stop it.
 */
describe('PostgreSQL stopped during a randomization storm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-pgdown-'));
  let cluster: Cluster;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const { startPostgres } = await import(pathToFileURL(join(process.cwd(), 'test', 'support', 'postgres-cluster.mjs')).href);
    cluster = await startPostgres();
    env = {
      DATABASE_URL: cluster.url,
      SIGNING_KEY_PATH: join(dir, 'audit-signing.key'),
      CHECKPOINT_LOG_PATH: join(dir, 'audit-checkpoints.jsonl'),
      DEMO_PASSWORD,
      DEMO_STUDY_STATUS: 'setup',
      AUTH_THROTTLE_PER_MINUTE: '100000',
    };
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After during the outage, loses nothing acknowledged, and reconnects without restart', async () => {
    const api = new Api(server!.baseUrl);
    const stat = await api.login('randstat');
    expect((await api.post('/api/study/scheme', { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'pgdown-seed-1', listLength: 120 }, stat)).status).toBe(201);
    expect((await api.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, stat)).status).toBe(200);
    const inv = await api.login('investigator1');
    const courses = ['RRMS', 'SPMS', 'PPMS'] as const;
    const ids = await pool(6, Array.from({ length: 120 }, (_, i) => () => newParticipant(api, inv, { site: 'A', course: courses[i % 3], edss: i % 2 ? 4 : 6 })));

    const acknowledged = new Map<string, { randomizationNumber: number; treatmentCode: string }>();
    const statuses = new Map<string, number>();
    let retryAfterMissing = 0;
    let networkErrors = 0;
    let phase: 'before' | 'down' | 'back' = 'before';
    const ackedIn = { before: 0, down: 0, back: 0 };
    const healthDuringOutage: number[] = [];
    let next = 0;
    const stormEnds = Date.now() + 90_000;

    const client = async () => {
      while (next < ids.length && Date.now() < stormEnds) {
        const i = next++;
        while (Date.now() < stormEnds) {
          try {
            const res = await randomize(api, inv, ids[i], `pgdown-key-${i}-stable`);
            if (res.status === 201) {
              acknowledged.set(ids[i], res.body);
              ackedIn[phase]++;
              break;
            }
            const label = `${res.status} ${res.body?.code ?? ''}`;
            statuses.set(label, (statuses.get(label) ?? 0) + 1);
            if (res.status === 503 && !Number(res.headers.get('retry-after'))) retryAfterMissing++;
          } catch {
            networkErrors++; // the server itself must stay up: counted and asserted 0
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const outage = async () => {
      while (ackedIn.before < 10) await new Promise((r) => setTimeout(r, 20));
      await cluster.halt();
      phase = 'down';
      const until = Date.now() + 4_000;
      while (Date.now() < until) {
        healthDuringOutage.push((await fetch(`${server!.baseUrl}/api/health`)).status);
        await new Promise((r) => setTimeout(r, 250));
      }
      await cluster.resume();
      phase = 'back';
    };
    await Promise.all([outage(), ...Array.from({ length: 6 }, client)]);
    const healthAfter = await fetch(`${server!.baseUrl}/api/health`);
    const log = server!.output();
    const at = log.search(/\[Errors\].*\n(?!.*database fault)/);
    if (statuses.has('500 INTERNAL_ERROR') && at >= 0) console.log(`server log at the first 500:\n${log.slice(at, at + 2500)}`);
    await server!.kill('SIGKILL');

    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    const rows = (await db.query('SELECT participant_id, randomization_number, treatment_code FROM allocations')).rows;
    const randomizedIds = new Set((await db.query("SELECT id FROM participants WHERE status = 'randomized'")).rows.map((r) => r.id));
    await db.end();
    const byParticipant = new Map(rows.map((r) => [r.participant_id, r]));
    const lost = [...acknowledged.entries()].filter(([id, body]) => {
      const row = byParticipant.get(id);
      return !row || Number(row.randomization_number) !== body.randomizationNumber || row.treatment_code !== body.treatmentCode || !randomizedIds.has(id);
    });
    const ackNumbers = [...acknowledged.values()].map((b) => b.randomizationNumber);
    const ackCodes = [...acknowledged.values()].map((b) => b.treatmentCode);
    const otherFailures = [...statuses.entries()].filter(([label]) => !label.startsWith('503 ')).reduce((n, [, c]) => n + c, 0);
    const cli = spawnSync('node', [join(process.cwd(), 'dist', 'server', 'src', 'cli', 'run.js'), 'audit', 'verify', '--database-url', cluster.url, '--key', env.SIGNING_KEY_PATH, '--json'], { encoding: 'utf8' });
    let verify: { valid: boolean };
    try {
      verify = JSON.parse(cli.stdout);
    } catch {
      verify = { valid: false };
    }
    console.log(
      `FAULT PostgreSQL stopped 4 s: ${acknowledged.size} acknowledged (${ackedIn.before} before, ${ackedIn.down} while down, ${ackedIn.back} after), ${rows.length} stored; lost=${lost.length}; ` +
        `answers while failing: ${JSON.stringify(Object.fromEntries(statuses))}; 503 without Retry-After=${retryAfterMissing}; connection errors=${networkErrors}; ` +
        `health during outage: ${healthDuringOutage.join(' ')}; health after: ${healthAfter.status}; chain valid=${verify.valid}${verify.valid ? '' : ` ${(cli.stdout + cli.stderr).slice(0, 300)}`}`,
    );
    expect(lost).toEqual([]);
    expect(new Set(ackNumbers).size).toBe(ackNumbers.length);
    expect(new Set(ackCodes).size).toBe(ackCodes.length);
    expect(verify.valid).toBe(true);
    expect(otherFailures).toBe(0);
    expect(networkErrors).toBe(0);
    expect(statuses.get('503 DATABASE_UNAVAILABLE') ?? 0).toBeGreaterThan(0);
    expect(retryAfterMissing).toBe(0);
    expect(healthDuringOutage).toContain(503);
    expect(ackedIn.back).toBeGreaterThan(0); // reconnected without a restart
    expect(healthAfter.status).toBe(200);
    expect(acknowledged.size).toBe(ids.length);

    server = await startServer(env);
    const api2 = new Api(server.baseUrl);
    const inv2 = await api2.login('investigator1');
    for (const [id, body] of [...acknowledged.entries()].slice(-30)) {
      const again = await randomize(api2, inv2, id, `pgdown-key-${ids.indexOf(id)}-stable`);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(body);
    }
  }, 240_000);
});
