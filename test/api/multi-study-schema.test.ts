/**
 * Many studies in one instance, first brick (docs/MULTI-STUDY.md, migration 018): a second study row,
 * inserted directly (no route creates one yet), gets its own audit chain — its own head, genesis
 * SHA-256("blindrand chain " + code), checkpoints — that the first study's verification never reads;
 * and the unique keys that were instance-wide are per study.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { newParticipant, randomize } from '../support/factories.js';
import { openRawDb, type RawDb } from '../support/raw-db.js';
import { startTestApp, usingPostgres, type TestApp } from '../support/test-app.js';

const SECOND = { id: 2, code: 'SECOND-2' };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe(`a second study in the same database (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let raw: RawDb;
  let auditor: string;

  /** A copy of `table`'s row matching `where`, with some columns replaced (values are SQL literals). */
  async function copyRow(table: string, where: string, replace: Record<string, string>): Promise<void> {
    const [row] = await raw.all(`SELECT * FROM ${table} WHERE ${where}`);
    const columns = Object.keys(row);
    const values = columns.map((c) => replace[c] ?? c);
    await raw.run(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM ${table} WHERE ${where}`,
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    raw = await openRawDb(t.config);
    auditor = await t.api.login('auditor');
    await copyRow('study', 'id = 1', { id: String(SECOND.id), code: `'${SECOND.code}'` });
  });
  afterAll(async () => {
    await raw?.close();
    await t?.close();
  });

  it('gets its own chain: its head, the genesis derived from its code, entries and a checkpoint the first study never verifies [MS-001]', async () => {
    const before = (await t.api.get('/api/audit/verify', auditor)).body;
    expect(before).toMatchObject({ valid: true });
    for (const [i, action] of ['test.second_a', 'test.second_b', 'test.second_c'].entries()) {
      const answer = await t.ask({ type: 'study-write', studyId: SECOND.id, action, checkpoint: i === 2 });
      expect(answer).toEqual({ type: 'study-written', error: null });
    }

    const chain = await raw.all('SELECT seq, action, prev_hash, hash FROM audit_log WHERE chain = ? ORDER BY seq', [
      SECOND.id,
    ]);
    expect(chain.map((r) => [Number(r.seq), r.action])).toEqual([
      [1, 'test.second_a'],
      [2, 'test.second_b'],
      [3, 'test.second_c'],
    ]);
    expect(chain[0].prev_hash).toBe(sha256(`blindrand chain ${SECOND.code}`));
    expect(chain[0].prev_hash).not.toBe('0'.repeat(64));
    const [head] = await raw.all('SELECT seq, hash FROM audit_head WHERE id = ?', [SECOND.id]);
    expect([Number(head.seq), head.hash]).toEqual([3, chain[2].hash]);
    // Its checkpoint is in the database and in the checkpoint file, tagged with its chain.
    expect(await raw.all('SELECT size FROM audit_checkpoints WHERE chain = ?', [SECOND.id])).toHaveLength(1);
    const lines = readFileSync(t.config.checkpointLogPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.chain === SECOND.id).map((l) => l.size)).toEqual([3]);

    // The second chain verifies alone, its checkpoint included.
    const second = await t.ask<{ result: any }>({ type: 'study-verify', studyId: SECOND.id });
    expect(second.result).toMatchObject({ valid: true, count: 3, headHash: chain[2].hash, problems: [] });
    expect(second.result.checkpoint).toMatchObject({ size: 3, signatureValid: true, matches: true });

    // The first study's chain neither grew nor sees any of it (nor its checkpoint line in the file).
    const after = (await t.api.get('/api/audit/verify', auditor)).body;
    expect(after).toMatchObject({ valid: true, count: before.count, headHash: before.headHash, problems: [] });
    const page = await t.api.get('/api/audit?action=test.second_a', auditor);
    expect(page.body.entries).toEqual([]);
  });

  it('a study the database does not hold gets no chain: the write is refused and nothing is written [MS-001]', async () => {
    const answer = await t.ask({ type: 'study-write', studyId: 99, action: 'test.nowhere' });
    expect(answer).toEqual({ type: 'study-written', error: expect.stringContaining('no study with id 99') });
    expect(await raw.all('SELECT * FROM audit_head WHERE id = 99')).toEqual([]);
    expect(await raw.all("SELECT * FROM audit_log WHERE action = 'test.nowhere'")).toEqual([]);
  });

  it('an entry moved from one chain to the other breaks both verifications [MS-001]', async () => {
    await raw.run('UPDATE audit_log SET chain = 1, seq = seq + 1000000 WHERE chain = ? AND seq = 2', [SECOND.id]);
    try {
      const second = (await t.ask<{ result: any }>({ type: 'study-verify', studyId: SECOND.id })).result;
      expect(second).toMatchObject({ valid: false, firstInvalidSeq: 2 });
      const first = (await t.api.get('/api/audit/verify', auditor)).body;
      expect(first.valid).toBe(false);
    } finally {
      await raw.run('UPDATE audit_log SET chain = ?, seq = seq - 1000000 WHERE chain = 1 AND seq > 1000000', [
        SECOND.id,
      ]);
    }
    expect((await t.ask<{ result: any }>({ type: 'study-verify', studyId: SECOND.id })).result.valid).toBe(true);
    expect((await t.api.get('/api/audit/verify', auditor)).body.valid).toBe(true);
  });

  it('unique keys are per study: the same randomization number, treatment code, scheme version and screening number in two studies, never twice in one [MS-002]', async () => {
    const investigator = await t.api.login('investigator1');
    const id = await newParticipant(t.api, investigator, { site: 'A' });
    const res = await randomize(t.api, investigator, id, `ms-schema-${process.pid}-${Date.now()}`);
    expect([res.status, res.body.code]).toEqual([201, undefined]);
    const [alloc] = await raw.all(
      'SELECT randomization_number, treatment_code FROM allocations WHERE participant_id = ?',
      [id],
    );

    // The same patient (site, screening number) registered in the second study, and the same number and code.
    await copyRow('participants', `id = '${id}'`, { id: "'ms-p1'", study_id: String(SECOND.id) });
    await copyRow('allocations', `participant_id = '${id}'`, {
      id: "'ms-a1'",
      participant_id: "'ms-p1'",
      list_entry_id: 'NULL',
      study_id: String(SECOND.id),
    });
    const [copied] = await raw.all("SELECT randomization_number, treatment_code FROM allocations WHERE id = 'ms-a1'");
    expect(copied).toEqual(alloc);
    const [scheme] = await raw.all('SELECT id, version FROM schemes WHERE study_id = 1 ORDER BY version LIMIT 1');
    await copyRow('schemes', `id = '${scheme.id}'`, { id: "'ms-s1'", study_id: String(SECOND.id) });

    // Twice in one study: refused by the database itself.
    await expect(
      copyRow('participants', `id = '${id}'`, { id: "'ms-p2'", study_id: String(SECOND.id) }),
    ).rejects.toThrow(/unique|duplicate/i);
    await copyRow('participants', `id = '${id}'`, {
      id: "'ms-p3'",
      screening_number: "'MS-OTHER'",
      study_id: String(SECOND.id),
    });
    await expect(
      copyRow('allocations', "id = 'ms-a1'", { id: "'ms-a2'", participant_id: "'ms-p3'", treatment_code: "'MS-T'" }),
    ).rejects.toThrow(/unique|duplicate/i);
    await expect(
      copyRow('allocations', "id = 'ms-a1'", {
        id: "'ms-a3'",
        participant_id: "'ms-p3'",
        randomization_number: '999999',
      }),
    ).rejects.toThrow(/unique|duplicate/i);
    await expect(copyRow('schemes', "id = 'ms-s1'", { id: "'ms-s2'" })).rejects.toThrow(/unique|duplicate/i);
    // And in the first study as before.
    await expect(
      copyRow('allocations', `participant_id = '${id}'`, {
        id: "'ms-a4'",
        participant_id: "'ms-p3'",
        list_entry_id: 'NULL',
        treatment_code: "'MS-T2'",
      }),
    ).rejects.toThrow(/unique|duplicate/i);

    // A study-scoped row always names a study that exists.
    await expect(
      copyRow('participants', `id = '${id}'`, { id: "'ms-p4'", screening_number: "'MS-4'", study_id: '77' }),
    ).rejects.toThrow(/foreign key/i);
    await expect(
      copyRow('participants', `id = '${id}'`, { id: "'ms-p5'", screening_number: "'MS-5'", study_id: 'NULL' }),
    ).rejects.toThrow(/not[- ]null/i);
  });
});
