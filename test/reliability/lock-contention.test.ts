import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openRawDb } from '../support/raw-db.js';
import { newParticipant, randomize } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** QUALITY 6: another process holds the SQLite write lock longer than the busy timeout. */
describe('write-lock contention from a second process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SQLITE_BUSY_TIMEOUT_MS: '300', DATABASE_URL: '' });
  });
  afterAll(async () => t.close());

  it('answers 503 BUSY with Retry-After, writes nothing half, and recovers when the lock is released [REL-002]', async () => {
    if (t.config.database.dialect !== 'sqlite') throw new Error('this test needs SQLite');
    const inv = await t.api.login('investigator1');
    const admin = await t.api.login('admin');
    const patient = await newParticipant(t.api, inv);
    const raw = await openRawDb(t.config);
    const countsBefore = async () => ({
      audit: (await raw.all('SELECT COUNT(*) AS n FROM audit_log'))[0].n,
      allocations: (await raw.all('SELECT COUNT(*) AS n FROM allocations'))[0].n,
      sites: (await raw.all('SELECT COUNT(*) AS n FROM sites'))[0].n,
    });
    const before = await countsBefore();

    const holder = new Database(t.config.database.path);
    holder.pragma('busy_timeout = 0');
    holder.exec('BEGIN IMMEDIATE');
    holder
      .prepare("INSERT INTO sites (code, name, active, created_at, updated_at) VALUES ('HOLD', 'held', 1, 'x', 'x')")
      .run();
    let busy;
    let site;
    try {
      const started = Date.now();
      busy = await randomize(t.api, inv, patient, 'busy-key-00001');
      site = await t.api.post('/api/sites', { code: 'ZZ', name: 'blocked' }, admin);
      console.log(
        `QUALITY 6: lock held by another process; randomize → ${busy.status} ${busy.body.code} after ${Date.now() - started} ms (busy timeout 300 ms); Retry-After=${busy.headers.get('retry-after')}`,
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(busy.status).toBe(503);
    expect(busy.body.code).toBe('BUSY');
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(site.status).toBe(503);
    expect(await countsBefore()).toEqual(before);
    expect((await t.api.get('/api/audit/verify', admin)).body.valid).toBe(true);

    const retried = await randomize(t.api, inv, patient, 'busy-key-00001');
    expect(retried.status).toBe(201);
    await raw.close();
  });
});

/**
 * QUALITY 6b: the lock wait never blocks the event loop. Another process holds the SQLite write lock
 * for 10 s; meanwhile health and a read answer in a median under 100 ms and none near the busy timeout,
 * and the queued writes all end at their own deadline (SQLITE_BUSY_TIMEOUT_MS) with 503 BUSY and
 * Retry-After — not one after another.
 * With better-sqlite3's synchronous busy wait (the old design) health took seconds here.
 */
describe('a long-held SQLite lock does not freeze the server', () => {
  const HOLD_MS = 10_000;
  const BUSY_TIMEOUT_MS = 2_500;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SQLITE_BUSY_TIMEOUT_MS: String(BUSY_TIMEOUT_MS), DATABASE_URL: '' });
  });
  afterAll(async () => t.close());

  it('serves health and reads (median under 100 ms, none near the busy timeout) while writes wait, then 503 BUSY for each at its deadline [REL-002]', async () => {
    if (t.config.database.dialect !== 'sqlite') throw new Error('this test needs SQLite');
    const inv = await t.api.login('investigator1');
    const admin = await t.api.login('admin');
    const patients = [
      await newParticipant(t.api, inv),
      await newParticipant(t.api, inv),
      await newParticipant(t.api, inv),
    ];
    // The session's first signature (password + code, 21 CFR 11.200(a)(1)) is made before the lock is taken: the
    // queued writes below are later signatures of the session, each on its own clock. (Concurrent first signatures
    // of one session wait for each other in the client, so that one code serves: each would then start its wait
    // only when the one before it gave up.)
    const warmUp = await randomize(t.api, inv, await newParticipant(t.api, inv), 'held-lock-warm-up-key');
    expect(warmUp.status).toBe(201);
    const raw = await openRawDb(t.config);
    const counts = async () => ({
      audit: (await raw.all('SELECT COUNT(*) AS n FROM audit_log'))[0].n,
      allocations: (await raw.all('SELECT COUNT(*) AS n FROM allocations'))[0].n,
      sites: (await raw.all('SELECT COUNT(*) AS n FROM sites'))[0].n,
    });
    const before = await counts();

    const holder = new Database(t.config.database.path);
    holder.pragma('busy_timeout = 0');
    holder.exec('BEGIN IMMEDIATE');
    holder
      .prepare("INSERT INTO sites (code, name, active, created_at, updated_at) VALUES ('HOLD', 'held', 1, 'x', 'x')")
      .run();
    const started = Date.now();
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        holder.exec('ROLLBACK');
        holder.close();
        resolve();
      }, HOLD_MS),
    );
    const timed = async <T>(p: Promise<T>) => {
      const t0 = Date.now();
      const value = await p;
      return { value, ms: Date.now() - t0, at: Date.now() - started };
    };
    const writes = [
      ...patients.map((p, i) => timed(randomize(t.api, inv, p, `held-lock-key-${i}`))),
      timed(t.api.post('/api/sites', { code: 'ZY', name: 'blocked' }, admin)),
    ];
    // The writes first verify their signer's password (argon2, on the thread pool): sample once they wait for the lock.
    await new Promise((res) => setTimeout(res, 1_000));
    const samples: Array<{ health: number; read: number; healthStatus: number; readStatus: number }> = [];
    while (Date.now() - started < HOLD_MS - 1_000) {
      const h = await timed(t.api.get('/api/health'));
      const r = await timed(t.api.get('/api/participants', inv));
      samples.push({ health: h.ms, read: r.ms, healthStatus: h.value.status, readStatus: r.value.status });
      await new Promise((res) => setTimeout(res, 250));
    }
    const results = await Promise.all(writes);
    await released;

    const worstHealth = Math.max(...samples.map((s) => s.health));
    const worstRead = Math.max(...samples.map((s) => s.read));
    const ends = results.map((r) => r.at);
    console.log(
      `QUALITY 6b: lock held ${HOLD_MS} ms by another process; ${samples.length} health + read pairs: worst health ${worstHealth} ms, worst read ${worstRead} ms (health ms: ${samples.map((s) => s.health).join(' ')}); ` +
        `queued writes → ${results.map((r) => `${r.value.status} ${r.value.body?.code ?? ''}`.trim()).join(', ')} ended at ${ends.join(', ')} ms (busy timeout ${BUSY_TIMEOUT_MS} ms)`,
    );
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(samples.every((s) => s.healthStatus === 200 && s.readStatus === 200)).toBe(true);
    // Typical answers stay fast (the median), and none waits anywhere near the busy timeout: a synchronous busy wait
    // would hold every answer queued behind a write for up to BUSY_TIMEOUT_MS. The worst single answer is bounded
    // loosely because a pause of the shared CI machine lengthens one answer (one read 104 ms at the 100 ms bound).
    expect(median(samples.map((s) => s.health))).toBeLessThan(100);
    expect(median(samples.map((s) => s.read))).toBeLessThan(100);
    expect(worstHealth).toBeLessThan(BUSY_TIMEOUT_MS / 3);
    expect(worstRead).toBeLessThan(BUSY_TIMEOUT_MS / 3);
    for (const r of results) {
      expect(r.value.status).toBe(503);
      expect(r.value.body.code).toBe('BUSY');
      expect(r.value.headers.get('retry-after')).toBe('1');
    }
    // each write gave up at its own deadline, not after the ones queued before it
    expect(Math.max(...ends) - Math.min(...ends)).toBeLessThan(1_000);
    expect(Math.max(...ends)).toBeLessThan(BUSY_TIMEOUT_MS + 2_000);
    expect(await counts()).toEqual(before);

    const after = await randomize(t.api, inv, patients[0], 'held-lock-key-0');
    expect(after.status).toBe(201);
    expect((await t.api.get('/api/audit/verify', admin)).body.valid).toBe(true);
    await raw.close();
  }, 60_000);
});
