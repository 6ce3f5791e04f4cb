import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { openRawDb } from '../support/raw-db.js';
import { newParticipant, randomize } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** QUALITY 6: another process holds the SQLite write lock longer than the busy timeout. */
describe('write-lock contention from a second process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SQLITE_BUSY_TIMEOUT_MS: '300', DATABASE_URL: '' });
  });
  afterAll(async () => t.close());

  it('answers 503 BUSY with Retry-After, writes nothing half, and recovers when the lock is released', async () => {
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
    holder.prepare("INSERT INTO sites (code, name, active, created_at, updated_at) VALUES ('HOLD', 'held', 1, 'x', 'x')").run();
    let busy;
    let site;
    try {
      const started = Date.now();
      busy = await randomize(t.api, inv, patient, 'busy-key-00001');
      site = await t.api.post('/api/sites', { code: 'ZZ', name: 'blocked' }, admin);
      console.log(`QUALITY 6: lock held by another process; randomize → ${busy.status} ${busy.body.code} after ${Date.now() - started} ms (busy timeout 300 ms); Retry-After=${busy.headers.get('retry-after')}`);
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
