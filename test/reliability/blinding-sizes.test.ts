import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openRawDb } from '../support/raw-db.js';
import { newParticipant, randomize } from '../support/factories.js';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * QUALITY 10, the side channel: for patients of one stratum, every response a blinded role receives
 * about them has the same size whatever their arm (a size that differs by arm would unblind).
 */
describe('blinded response sizes do not depend on the arm', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('participant views, audit entries and log rows have one size per stratum, whatever the arm [BLIND-008]', async () => {
    const inv = await t.api.login('investigator1');
    const pharmacist = await t.api.login('pharmacist');
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const id = await newParticipant(t.api, inv, { site: 'A', course: 'RRMS', edss: 4 });
      expect((await randomize(t.api, inv, id, `size-key-${i}-xx`)).status).toBe(201);
      expect(
        (
          await t.api.post(
            '/api/pharmacy/dispensations',
            { participantId: id, period: 1, lotNumber: 'LOT-000001', signature: { password: DEMO_PASSWORD } },
            pharmacist,
          )
        ).status,
      ).toBe(201);
      ids.push(id);
    }
    const raw = await openRawDb(t.config);
    const arms = new Map(
      (await raw.all('SELECT participant_id, arm_code FROM allocations')).map((r) => [r.participant_id, r.arm_code]),
    );
    await raw.close();
    expect(new Set(arms.values()).size).toBe(2); // both arms are present, or the test proves nothing

    const report: string[] = [];
    for (const user of ['investigator1', 'monitor', 'auditor']) {
      const token = await t.api.login(user);
      const sizes = new Map<string, Set<number>>();
      const add = (what: string, arm: string, text: string) => {
        // Normalise the fields that vary per patient for reasons other than the arm (ids, codes, times, screening numbers), keeping their lengths.
        const normalised = text
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'U'.repeat(36))
          .replace(/\d/g, '9')
          .replace(/MS-[A-Z2-9]{6}/g, 'MS-XXXXXX');
        const key = `${what}|${arm}`;
        sizes.set(key, new Set([...(sizes.get(key) ?? []), normalised.length]));
      };
      for (const id of ids) {
        const arm = arms.get(id)!;
        add('participant', arm, (await t.api.get(`/api/participants/${id}`, token)).text);
        if (user === 'auditor') {
          for (const e of (await t.api.get(`/api/audit?entityId=${id}`, token)).body.entries)
            add(`audit ${e.action}`, arm, JSON.stringify(e));
          const row = (await t.api.get('/api/allocation-log', token)).body.find((r: any) => r.participantId === id);
          add('log row', arm, JSON.stringify(row));
        }
      }
      const whats = new Set([...sizes.keys()].map((k) => k.split('|')[0]));
      for (const what of whats) {
        const perArm = [...sizes.entries()]
          .filter(([k]) => k.startsWith(`${what}|`))
          .map(([k, v]) => `${k.split('|')[1]}:${[...v].sort().join('/')}`);
        const distinct = new Set(
          [...sizes.entries()].filter(([k]) => k.startsWith(`${what}|`)).map(([, v]) => [...v].sort().join('/')),
        );
        if (distinct.size !== 1) report.push(`${user} ${what}: sizes differ by arm (${perArm.join(', ')})`);
      }
    }
    console.log(
      `QUALITY 10 (sizes): ${ids.length} patients of one stratum, both arms; size differences by arm=${report.length}`,
    );
    expect(report).toEqual([]);
  });
});
