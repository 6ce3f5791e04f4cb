import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { newParticipant, randomize } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** QUALITY 7: one byte changed in an audit row, many times over — detected every time, at the right entry. */
describe('tamper detection by single-byte edits', () => {
  let t: TestApp;
  let raw: RawDb;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.login('admin');
    const inv = await t.api.login('investigator1');
    for (let i = 0; i < 10; i++)
      await randomize(
        t.api,
        inv,
        await newParticipant(t.api, inv, { course: i % 2 ? 'RRMS' : 'SPMS', edss: 4 }),
        `tamper-key-${i}`,
      );
    raw = await openRawDb(t.config);
  });
  afterAll(async () => {
    await raw.close();
    await t.close();
  });

  it('detects 200 random single-character edits with the right firstInvalidSeq [AUDIT-003]', async () => {
    const columns = [
      'at',
      'actor',
      'role',
      'action',
      'entity_type',
      'entity_id',
      'reason',
      'details',
      'prev_hash',
      'hash',
    ];
    // The first study's chain (sign-ins and accounts are in the instance chain, 0, since issue 16).
    const count = Number((await raw.all('SELECT COUNT(*) AS n FROM audit_log WHERE chain = 1'))[0].n);
    let rng = 12345;
    const random = () => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let detected = 0;
    let rightSeq = 0;
    let edits = 0;
    while (edits < 200) {
      const seq = 1 + Math.floor(random() * count);
      const column = columns[Math.floor(random() * columns.length)];
      const [row] = await raw.all(`SELECT ${column} AS v FROM audit_log WHERE chain = 1 AND seq = ?`, [seq]);
      const original: string | null = row.v;
      if (original === null || original.length === 0) continue;
      const pos = Math.floor(random() * original.length);
      const ch = original[pos];
      const replacement = ch === 'a' ? 'b' : ch === '0' ? '1' : ch === '"' ? "'" : 'a';
      const edited = original.slice(0, pos) + replacement + original.slice(pos + 1);
      await raw.run(`UPDATE audit_log SET ${column} = ? WHERE chain = 1 AND seq = ?`, [edited, seq]);
      const res = await t.api.get('/api/audit/verify', admin);
      await raw.run(`UPDATE audit_log SET ${column} = ? WHERE chain = 1 AND seq = ?`, [original, seq]);
      edits++;
      if (res.status === 200 && res.body.valid === false) detected++;
      if (res.body.firstInvalidSeq === seq) rightSeq++;
    }
    console.log(
      `QUALITY 7: ${edits} single-character edits of ${count} audit rows; detected=${detected}, firstInvalidSeq right=${rightSeq}`,
    );
    expect(detected).toBe(edits);
    expect(rightSeq).toBe(edits);
    expect((await t.api.get('/api/audit/verify', admin)).body.valid).toBe(true);
  });
});
