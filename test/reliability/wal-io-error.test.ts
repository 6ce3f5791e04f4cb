import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  activeStudyWithParticipants,
  cliVerify,
  lostAcknowledged,
  non503Count,
  readSqliteAfterKill,
  replayMismatches,
  runStorm,
} from '../support/randomization-storm.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { Api, DEMO_PASSWORD } from '../support/test-app.js';

/**
 * Fault injection, SQLite: the WAL fails with EIO for 0.3 s during a randomization storm (an injected
 * I/O error: test/support/wal-fault.c, loaded into the server with LD_PRELOAD, fails every write and
 * sync on the *-wal file while a trigger file exists). A COMMIT that meets it fails and SQLite rolls
 * back on its own; issue 12 measured 5 acknowledged randomizations lost this way (their numbers and
 * codes went to other patients after a restart). Checked through a second connection after a SIGKILL:
 * every 201 stored; clients got 503 with Retry-After, never 500; the same server recovered.
 */
describe('an I/O error on the SQLite WAL during a randomization storm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-walio-'));
  const trigger = join(dir, 'fail-wal-now');
  const preload = join(dir, 'wal-fault.so');
  const env = {
    DATABASE_PATH: join(dir, 'db.sqlite'),
    DEMO_PASSWORD,
    DEMO_STUDY_STATUS: 'setup',
    AUTH_THROTTLE_PER_MINUTE: '100000',
    SQLITE_BUSY_TIMEOUT_MS: '2000',
  };
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    execFileSync('gcc', [
      '-shared',
      '-fPIC',
      '-O2',
      '-o',
      preload,
      join(process.cwd(), 'test', 'support', 'wal-fault.c'),
      '-ldl',
    ]);
    server = await startServer({ ...env, LD_PRELOAD: preload, WAL_FAULT_FILE: trigger });
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('acknowledges only what is on disk, answers 503 with Retry-After while the WAL fails, and recovers without restart [REL-002]', async () => {
    const api = new Api(server!.baseUrl);
    const { inv, ids } = await activeStudyWithParticipants(api, 'walio-seed-1');
    const healthDuringFault: number[] = [];
    const storm = await runStorm({
      api,
      inv,
      ids,
      keyPrefix: 'walio-key',
      phases: ['before', 'full', 'freed'],
      fault: async (state) => {
        while (state.ackedIn.before < 10) await new Promise((r) => setTimeout(r, 20));
        // Three bursts of 0.3 s, so that commits are in flight when the WAL fails.
        for (let burst = 0; burst < 3; burst++) {
          writeFileSync(trigger, '');
          state.phase = 'full';
          healthDuringFault.push((await fetch(`${server!.baseUrl}/api/health`)).status);
          await new Promise((r) => setTimeout(r, 300));
          unlinkSync(trigger);
          state.phase = 'freed';
          await new Promise((r) => setTimeout(r, 700));
        }
      },
    });
    const { acknowledged, statuses, retryAfterMissing, ackedIn } = storm;
    const healthAfter = await fetch(`${server!.baseUrl}/api/health`);
    await server!.kill('SIGKILL');

    // A second connection, after the SIGKILL and before any restart.
    const { integrity, rows, randomizedIds } = readSqliteAfterKill(env.DATABASE_PATH);
    const lost = lostAcknowledged(acknowledged, rows, randomizedIds);
    const ackNumbers = [...acknowledged.values()].map((b) => b.randomizationNumber);
    const ackCodes = [...acknowledged.values()].map((b) => b.treatmentCode);
    const verify = cliVerify(['--db', env.DATABASE_PATH]);
    console.log(
      `FAULT WAL I/O error 3 × 0.3 s: ${acknowledged.size} acknowledged (${ackedIn.before} before, ${ackedIn.full} during a burst, ${ackedIn.freed} between and after), ${rows.length} stored; lost=${lost.length}; ` +
        `answers while failing: ${JSON.stringify(Object.fromEntries(statuses))}; 503 without Retry-After=${retryAfterMissing}; health during bursts: ${healthDuringFault.join(' ')}; ` +
        `health after: ${healthAfter.status}; integrity_check=${integrity}; chain valid=${verify.valid}${verify.valid ? '' : ` ${JSON.stringify(verify).slice(0, 300)}`}`,
    );
    expect(lost).toEqual([]);
    expect(new Set(ackNumbers).size).toBe(ackNumbers.length);
    expect(new Set(ackCodes).size).toBe(ackCodes.length);
    expect(integrity).toBe('ok');
    expect(verify.valid).toBe(true);
    expect(non503Count(statuses)).toBe(0);
    expect(statuses.get('503 DATABASE_UNAVAILABLE') ?? 0).toBeGreaterThan(0);
    expect(retryAfterMissing).toBe(0);
    expect(ackedIn.freed).toBeGreaterThan(0); // recovered without a restart
    expect(healthAfter.status).toBe(200);
    expect(acknowledged.size).toBe(ids.length);

    // After a restart: the acknowledged requests replay their original bodies; nothing is eligible again.
    server = await startServer(env); // without the fault library
    const api2 = new Api(server.baseUrl);
    const inv2 = await api2.login('investigator1');
    expect(await replayMismatches(api2, inv2, acknowledged, ids, 'walio-key')).toEqual([]);
    const admin = await api2.login('admin');
    expect((await api2.get('/api/audit/verify', admin)).body.valid).toBe(true);
  }, 240_000);
});
