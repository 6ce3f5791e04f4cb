/**
 * The warnings of each rehearsal, kept so that activation can show them and require an explicit,
 * audited override reason (issue 15: activation was allowed right after a rehearsal in which a
 * stratum's list ran out). Never an arm: exhaustion per stratum depends on list lengths only.
 */
import { asInt, asJson, asStr, type Sql } from '../../database/sql.js';

export interface RehearsalWarning {
  code: 'LIST_EXHAUSTED';
  stratum: string;
  /** The synthetic patient (1-based) at which the stratum's list first ran out. */
  atPatient: number;
}

export interface RehearsalRecord {
  id: string;
  schemeId: string;
  schemeVersion: number;
  patients: number;
  warnings: RehearsalWarning[];
  runBy: string;
  runAt: string;
}

const toRehearsal = (r: Record<string, unknown>): RehearsalRecord => ({
  id: asStr(r.id),
  schemeId: asStr(r.scheme_id),
  schemeVersion: asInt(r.scheme_version),
  patients: asInt(r.patients),
  warnings: asJson<RehearsalWarning[]>(r.warnings, []),
  runBy: asStr(r.run_by),
  runAt: asStr(r.run_at),
});

export const RehearsalsRepository = {
  async insert(sql: Sql, studyId: number, r: RehearsalRecord): Promise<void> {
    await sql.exec(
      'INSERT INTO rehearsals (study_id, id, scheme_id, scheme_version, patients, warnings, run_by, run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [studyId, r.id, r.schemeId, r.schemeVersion, r.patients, JSON.stringify(r.warnings), r.runBy, r.runAt],
    );
  },

  /** The newest rehearsal of one scheme (the draft about to be activated), if any. */
  latestFor: (sql: Sql, studyId: number, schemeId: string) =>
    sql.one(
      'SELECT * FROM rehearsals WHERE study_id = ? AND scheme_id = ? ORDER BY run_at DESC, id DESC LIMIT 1',
      [studyId, schemeId],
      toRehearsal,
    ),
};
