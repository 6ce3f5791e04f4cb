/** Allocation schemes and their lists. A scheme is written once; only its state changes (draft → active, or superseded). */
import { randomUUID } from 'node:crypto';
import type { Scheme } from '../../../../shared/engine/index.js';
import { asBool, asJson, asStr, asStrOrNull, type Sql } from '../../database/sql.js';

export type SchemeState = 'draft' | 'superseded' | 'active';

export interface SchemeRecord {
  id: string;
  version: number;
  state: SchemeState;
  method: string;
  params: Record<string, unknown>;
  algorithm: string;
  libraryVersion: string;
  seedCommitment: string | null;
  /** SECRET until end-of-study unblinding. */
  seed: string | null;
  /** SECRET until end-of-study unblinding: the salt of the fingerprint and seed commitment (null = legacy, unsalted). */
  salt: string | null;
  live: boolean;
  /** The list length asked for at generation (null for an imported list): replay regenerates with it. */
  listLength: number | null;
  fingerprint: string;
  createdBy: string;
  createdAt: string;
}

const toRecord = (r: Record<string, unknown>): SchemeRecord => ({
  id: asStr(r.id),
  version: Number(r.version),
  state: asStr(r.state) as SchemeState,
  method: asStr(r.method),
  params: asJson(r.params, {}),
  algorithm: asStr(r.algorithm),
  libraryVersion: asStr(r.library_version),
  seedCommitment: asStrOrNull(r.seed_commitment),
  seed: asStrOrNull(r.seed),
  salt: asStrOrNull(r.salt),
  live: asBool(r.live),
  listLength: r.list_length === null || r.list_length === undefined ? null : Number(r.list_length),
  fingerprint: asStr(r.fingerprint),
  createdBy: asStr(r.created_by),
  createdAt: asStr(r.created_at),
});

export interface ListEntryRecord {
  id: string;
  stratumKey: string;
  position: number;
  armCode: string;
  treatmentCode: string;
}

const toEntry = (r: Record<string, unknown>): ListEntryRecord => ({
  id: asStr(r.id),
  stratumKey: asStr(r.stratum_key),
  position: Number(r.position),
  armCode: asStr(r.arm_code),
  treatmentCode: asStr(r.treatment_code),
});

/** Every column but the (large) frozen document, which only `document()` reads. */
const RECORD_COLUMNS =
  'id, version, state, method, params, algorithm, library_version, seed_commitment, seed, salt, live, list_length, fingerprint, created_by, created_at';

/**
 * Every read and update names the study: a scheme id (or a list entry) of another study is not found,
 * so nothing of one study's list can be read or moved from another's routes.
 */
export const SchemesRepository = {
  latest: (sql: Sql, studyId: number) =>
    sql.one(
      `SELECT ${RECORD_COLUMNS} FROM schemes WHERE study_id = ? AND state IN ('draft', 'active') ORDER BY version DESC LIMIT 1`,
      [studyId],
      toRecord,
    ),
  findById: (sql: Sql, studyId: number, id: string) =>
    sql.one(`SELECT ${RECORD_COLUMNS} FROM schemes WHERE study_id = ? AND id = ?`, [studyId, id], toRecord),

  /** The frozen scheme document (with lists, without the seed and the salt). */
  async document(sql: Sql, studyId: number, id: string): Promise<Scheme | null> {
    const row = await sql.one<Record<string, unknown>>(
      'SELECT scheme_json FROM schemes WHERE study_id = ? AND id = ?',
      [studyId, id],
    );
    return row ? (JSON.parse(asStr(row.scheme_json)) as Scheme) : null;
  },

  /** Stores a new draft (superseding the previous draft), its list entries and stratum cursors. */
  async insertDraft(
    sql: Sql,
    studyId: number,
    scheme: Scheme,
    listLength: number | null,
    fingerprint: string,
    createdBy: string,
    at: string,
  ): Promise<SchemeRecord> {
    await sql.exec("UPDATE schemes SET state = 'superseded' WHERE study_id = ? AND state = 'draft'", [studyId]);
    const version =
      (await sql.count('SELECT COALESCE(MAX(version), 0) AS v FROM schemes WHERE study_id = ?', [studyId])) + 1;
    const id = randomUUID();
    // The secrets live in their own columns only, so the document can be read without them.
    const { seed, salt, ...document } = scheme;
    await sql.exec(
      `INSERT INTO schemes (study_id, id, version, state, method, params, algorithm, library_version, seed_commitment, seed, salt, live, list_length, fingerprint, scheme_json, created_by, created_at)
       VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        studyId,
        id,
        version,
        scheme.method,
        JSON.stringify(scheme.params),
        scheme.algorithm,
        scheme.libraryVersion,
        scheme.seedCommitment ?? null,
        seed ?? null,
        salt ?? null,
        scheme.live,
        listLength,
        fingerprint,
        JSON.stringify(document),
        createdBy,
        at,
      ],
    );
    for (const stratum of scheme.strata) {
      await sql.exec(
        'INSERT INTO stratum_cursors (study_id, scheme_id, stratum_key, next_position) VALUES (?, ?, ?, 1)',
        [studyId, id, stratum.key],
      );
      for (const e of stratum.entries) {
        await sql.exec(
          'INSERT INTO list_entries (study_id, id, scheme_id, stratum_key, position, arm_code, treatment_code) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [studyId, randomUUID(), id, stratum.key, e.position, e.armCode, e.treatmentCode],
        );
      }
    }
    return (await SchemesRepository.findById(sql, studyId, id))!;
  },

  setState: (sql: Sql, studyId: number, id: string, state: SchemeState) =>
    sql.exec('UPDATE schemes SET state = ? WHERE study_id = ? AND id = ?', [state, studyId, id]),

  /** The stratum's cursor, row-locked on PostgreSQL for the rest of the transaction. */
  async cursorForUpdate(sql: Sql, studyId: number, schemeId: string, stratumKey: string): Promise<number | null> {
    const row = await sql.one<Record<string, unknown>>(
      `SELECT next_position FROM stratum_cursors WHERE study_id = ? AND scheme_id = ? AND stratum_key = ?${sql.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [studyId, schemeId, stratumKey],
    );
    return row ? Number(row.next_position) : null;
  },

  advanceCursor: (sql: Sql, studyId: number, schemeId: string, stratumKey: string, next: number) =>
    sql.exec('UPDATE stratum_cursors SET next_position = ? WHERE study_id = ? AND scheme_id = ? AND stratum_key = ?', [
      next,
      studyId,
      schemeId,
      stratumKey,
    ]),

  /** The first list position of the stratum owned by a downtime envelope (null: none): the online list stops before it. */
  async firstReservedPosition(sql: Sql, studyId: number, schemeId: string, stratumKey: string): Promise<number | null> {
    const row = await sql.one<Record<string, unknown>>(
      'SELECT MIN(l.position) AS p FROM envelopes e JOIN list_entries l ON l.id = e.list_entry_id WHERE e.study_id = ? AND e.scheme_id = ? AND e.stratum_key = ?',
      [studyId, schemeId, stratumKey],
    );
    return row?.p === null || row?.p === undefined ? null : Number(row.p);
  },

  entryAt: (sql: Sql, studyId: number, schemeId: string, stratumKey: string, position: number) =>
    sql.one(
      'SELECT * FROM list_entries WHERE study_id = ? AND scheme_id = ? AND stratum_key = ? AND position = ?',
      [studyId, schemeId, stratumKey, position],
      toEntry,
    ),

  entries: (sql: Sql, studyId: number, schemeId: string) =>
    sql.all(
      'SELECT * FROM list_entries WHERE study_id = ? AND scheme_id = ? ORDER BY stratum_key, position',
      [studyId, schemeId],
      toEntry,
    ),
};
