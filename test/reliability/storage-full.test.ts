import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
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
 * Fault injection, SQLite: the disk fills up during a randomization storm (a real kernel-level
 * fault: the database lives on an 8 MB tmpfs, filled to the last byte with a filler file, then freed).
 * Every COMMIT that needs a new WAL page fails with SQLITE_FULL, and SQLite rolls back on its own.
 * Before the fix, TypeORM still counted that transaction as open: the next writes became savepoints
 * inside it, were answered 201 and never reached the disk (issue 12, finding 1).
 * Asserted through a second connection after a SIGKILL, and again after a restart: every 201 a client
 * saw is stored with its number and code; no number or code went to two patients; the chain is valid;
 * during the fault clients got 503 with Retry-After (never 500) and health said 503; after the space
 * was freed the same server (no restart) randomized again.
 * Needs root to mount the tmpfs (the test runs as root in CI and in the sandbox).
 */
describe('disk full during a randomization storm (SQLite on an 8 MB tmpfs)', () => {
  const outer = mkdtempSync(join(tmpdir(), 'blindrand-full-'));
  const mnt = join(outer, 'mnt');
  const env = {
    DATABASE_PATH: join(mnt, 'db.sqlite'),
    // The key and the checkpoint file live outside the small filesystem: this test is about the database.
    SIGNING_KEY_PATH: join(outer, 'audit-signing.key'),
    CHECKPOINT_LOG_PATH: join(outer, 'audit-checkpoints.jsonl'),
    DEMO_PASSWORD,
    DEMO_STUDY_STATUS: 'setup',
    AUTH_THROTTLE_PER_MINUTE: '100000',
    SQLITE_BUSY_TIMEOUT_MS: '2000',
  };
  let server: ServerProcess | undefined;
  let mounted = false;

  beforeAll(async () => {
    execFileSync('mkdir', ['-p', mnt]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    mounted = true;
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.kill('SIGKILL');
    if (mounted) execFileSync('umount', ['-l', mnt]);
    rmSync(outer, { recursive: true, force: true });
  });

  it('acknowledges only what is on disk, answers 503 with Retry-After while full, and recovers without restart [REL-002]', async () => {
    const api = new Api(server!.baseUrl);
    const { inv, ids } = await activeStudyWithParticipants(api, 'full-seed-1');
    const healthDuringFault: number[] = [];
    const storm = await runStorm({
      api,
      inv,
      ids,
      keyPrefix: 'full-key',
      phases: ['before', 'full', 'freed'],
      fault: async (state) => {
        while (state.ackedIn.before < 10) await new Promise((r) => setTimeout(r, 20));
        // Empty the WAL first (a second connection), so every later commit must grow it: no reusable space.
        const side = new Database(env.DATABASE_PATH);
        side.pragma('busy_timeout = 5000');
        side.pragma('wal_checkpoint(TRUNCATE)');
        side.close();
        const filler = join(mnt, 'filler');
        const fd = openSync(filler, 'w');
        const chunk = Buffer.alloc(4096, 1);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        } finally {
          closeSync(fd);
        }
        state.phase = 'full';
        const until = Date.now() + 3_000;
        while (Date.now() < until) {
          healthDuringFault.push((await fetch(`${server!.baseUrl}/api/health`)).status);
          await new Promise((r) => setTimeout(r, 200));
        }
        unlinkSync(filler);
        state.phase = 'freed';
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
    const verify = cliVerify(['--db', env.DATABASE_PATH, '--key', env.SIGNING_KEY_PATH]);
    console.log(
      `FAULT disk full: ${acknowledged.size} acknowledged (${ackedIn.before} before, ${ackedIn.full} while full, ${ackedIn.freed} after freeing), ${rows.length} stored; lost=${lost.length}; ` +
        `answers while failing: ${JSON.stringify(Object.fromEntries(statuses))}; 503 without Retry-After=${retryAfterMissing}; health during fault: ${healthDuringFault.join(' ')}; ` +
        `health after freeing: ${healthAfter.status}; integrity_check=${integrity}; chain valid=${verify.valid}${verify.valid ? '' : ` ${JSON.stringify(verify).slice(0, 300)}`}`,
    );
    expect(lost).toEqual([]);
    expect(new Set(ackNumbers).size).toBe(ackNumbers.length);
    expect(new Set(ackCodes).size).toBe(ackCodes.length);
    expect(integrity).toBe('ok');
    expect(verify.valid).toBe(true);
    expect(non503Count(statuses)).toBe(0);
    expect(statuses.get('503 STORAGE_FULL') ?? 0).toBeGreaterThan(0);
    expect(retryAfterMissing).toBe(0);
    expect(healthDuringFault).toContain(503);
    expect(ackedIn.freed).toBeGreaterThan(0); // recovered without a restart
    expect(healthAfter.status).toBe(200);
    expect(acknowledged.size).toBe(ids.length);

    // After a restart: the acknowledged requests replay their original bodies; nothing is eligible again.
    server = await startServer(env);
    const api2 = new Api(server.baseUrl);
    const inv2 = await api2.login('investigator1');
    expect(await replayMismatches(api2, inv2, acknowledged, ids, 'full-key')).toEqual([]);
    const admin = await api2.login('admin');
    expect((await api2.get('/api/audit/verify', admin)).body.valid).toBe(true);
  }, 240_000);
});
