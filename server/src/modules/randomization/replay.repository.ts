/** What replay (replay.ts) reads besides the study and the scheme: the allocations as stored, and where downtime envelopes start. */
import { asJson, asStr, type Sql } from '../../database/sql.js';
import type { ReplayAllocation } from './replay.js';

const toReplayAllocation = (r: Record<string, unknown>): ReplayAllocation => ({
  randomizationNumber: Number(r.randomization_number),
  stratumKey: asStr(r.stratum_key),
  armCode: asStr(r.arm_code),
  treatmentCode: asStr(r.treatment_code),
  listPosition: r.list_position === null || r.list_position === undefined ? null : Number(r.list_position),
  covariates: asJson(r.covariates, {}),
  dynamicRecord: asJson(r.dynamic_record, null),
  envelope:
    r.envelope_ordinal === null || r.envelope_ordinal === undefined
      ? null
      : { channel: `${asStr(r.envelope_site)}/${asStr(r.stratum_key)}`, ordinal: Number(r.envelope_ordinal) },
});

export const ReplayRepository = {
  /** The scheme's allocations in randomization order, with their list position and envelope. */
  allocations: (sql: Sql, studyId: number, schemeId: string) =>
    sql.all(
      `SELECT a.*, l.position AS list_position, e.site_code AS envelope_site, e.ordinal AS envelope_ordinal
       FROM allocations a LEFT JOIN list_entries l ON l.id = a.list_entry_id LEFT JOIN envelopes e ON e.allocation_id = a.id WHERE a.study_id = ? AND a.scheme_id = ? ORDER BY a.randomization_number`,
      [studyId, schemeId],
      toReplayAllocation,
    ),

  /** Per stratum, the first list position owned by a downtime envelope (docs/DOWNTIME.md). */
  async envelopesFrom(sql: Sql, studyId: number, schemeId: string): Promise<Record<string, number>> {
    const from: Record<string, number> = {};
    for (const r of await sql.all(
      'SELECT e.stratum_key, MIN(l.position) AS p FROM envelopes e JOIN list_entries l ON l.id = e.list_entry_id WHERE e.study_id = ? AND e.scheme_id = ? GROUP BY e.stratum_key',
      [studyId, schemeId],
    )) {
      from[asStr(r.stratum_key)] = Number(r.p);
    }
    return from;
  },
};
