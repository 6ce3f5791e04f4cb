import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import {
  activeStudyWithParticipants,
  cliVerify,
  lostAcknowledged,
  non503Count,
  replayMismatches,
  runStorm,
} from '../support/randomization-storm.js';
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
    const { startPostgres } = await import(
      pathToFileURL(join(process.cwd(), 'test', 'support', 'postgres-cluster.mjs')).href
    );
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

  it('answers 503 with Retry-After during the outage, loses nothing acknowledged, and reconnects without restart [REL-002]', async () => {
    const api = new Api(server!.baseUrl);
    const { inv, ids } = await activeStudyWithParticipants(api, 'pgdown-seed-1');
    const healthDuringOutage: number[] = [];
    const storm = await runStorm({
      api,
      inv,
      ids,
      keyPrefix: 'pgdown-key',
      phases: ['before', 'down', 'back'],
      countNetworkErrors: true,
      fault: async (state) => {
        while (state.ackedIn.before < 10) await new Promise((r) => setTimeout(r, 20));
        await cluster.halt();
        state.phase = 'down';
        const until = Date.now() + 4_000;
        while (Date.now() < until) {
          healthDuringOutage.push((await fetch(`${server!.baseUrl}/api/health`)).status);
          await new Promise((r) => setTimeout(r, 250));
        }
        await cluster.resume();
        state.phase = 'back';
      },
    });
    const { acknowledged, statuses, retryAfterMissing, networkErrors, ackedIn } = storm;
    const healthAfter = await fetch(`${server!.baseUrl}/api/health`);
    const log = server!.output();
    const at = log.search(/\[Errors\].*\n(?!.*database fault)/);
    if (statuses.has('500 INTERNAL_ERROR') && at >= 0)
      console.log(`server log at the first 500:\n${log.slice(at, at + 2500)}`);
    await server!.kill('SIGKILL');

    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    const rows = (await db.query('SELECT participant_id, randomization_number, treatment_code FROM allocations')).rows;
    const randomizedIds = new Set(
      (await db.query("SELECT id FROM participants WHERE status = 'randomized'")).rows.map((r) => r.id),
    );
    await db.end();
    const lost = lostAcknowledged(acknowledged, rows, randomizedIds);
    const ackNumbers = [...acknowledged.values()].map((b) => b.randomizationNumber);
    const ackCodes = [...acknowledged.values()].map((b) => b.treatmentCode);
    const verify = cliVerify(['--database-url', cluster.url, '--key', env.SIGNING_KEY_PATH]);
    console.log(
      `FAULT PostgreSQL stopped 4 s: ${acknowledged.size} acknowledged (${ackedIn.before} before, ${ackedIn.down} while down, ${ackedIn.back} after), ${rows.length} stored; lost=${lost.length}; ` +
        `answers while failing: ${JSON.stringify(Object.fromEntries(statuses))}; 503 without Retry-After=${retryAfterMissing}; connection errors=${networkErrors}; ` +
        `health during outage: ${healthDuringOutage.join(' ')}; health after: ${healthAfter.status}; chain valid=${verify.valid}${verify.valid ? '' : ` ${JSON.stringify(verify).slice(0, 300)}`}`,
    );
    expect(lost).toEqual([]);
    expect(new Set(ackNumbers).size).toBe(ackNumbers.length);
    expect(new Set(ackCodes).size).toBe(ackCodes.length);
    expect(verify.valid).toBe(true);
    expect(non503Count(statuses)).toBe(0);
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
    expect(await replayMismatches(api2, inv2, acknowledged, ids, 'pgdown-key')).toEqual([]);
  }, 240_000);
});
