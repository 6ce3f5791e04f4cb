import type { StudyStatus } from '../../../../shared/contract.js';
import type { Sql } from '../../database/sql.js';
import { toStudyRecord, type StudyRecord } from './study.record.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';

/**
 * The studies of this instance. Every query names its study by id (the guard resolves the route's code to
 * the id once, into `viewer.studyId`). Every column but the protocol text: every write checks the study's
 * status, and only start-up and study creation need the (large) protocol, through `protocolYaml()`.
 */
const STATUS_COLUMNS =
  'id, code, title, protocol_sha256, status, active_scheme_id, list_fingerprint, activated_at, locked_at, unblinded_at';

export const StudyRepository = {
  find: (sql: Sql, studyId: number) =>
    sql.one(`SELECT ${STATUS_COLUMNS} FROM study WHERE id = ?`, [studyId], toStudyRecord),

  /** By the code in a route (`/api/studies/:studyCode/...`); codes are unique and never change. */
  findByCode: (sql: Sql, code: string) =>
    sql.one(`SELECT ${STATUS_COLUMNS} FROM study WHERE code = ?`, [code], toStudyRecord),

  list: (sql: Sql) => sql.all(`SELECT ${STATUS_COLUMNS} FROM study ORDER BY id`, [], toStudyRecord),

  /** Just the status. Null when there is no such study. */
  status: async (sql: Sql, studyId: number): Promise<StudyStatus | null> => {
    const row = await sql.one<Record<string, unknown>>('SELECT status FROM study WHERE id = ?', [studyId]);
    return row ? (String(row.status) as StudyStatus) : null;
  },

  /** Reads the study row locked for this write transaction (PostgreSQL row lock; SQLite holds the write lock already). */
  findForUpdate: (sql: Sql, studyId: number) =>
    sql.one(
      `SELECT ${STATUS_COLUMNS} FROM study WHERE id = ?${sql.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [studyId],
      toStudyRecord,
    ),

  /** The protocol file as loaded when the study was created. */
  protocolYaml: async (sql: Sql, studyId: number) => {
    const row = await sql.one<Record<string, unknown>>('SELECT protocol_yaml FROM study WHERE id = ?', [studyId]);
    return row ? String(row.protocol_yaml) : null;
  },

  /** The next free id (the first study is FIRST_STUDY_ID; ids are never reused: they name audit chains). */
  nextId: async (sql: Sql): Promise<number> =>
    Math.max(FIRST_STUDY_ID, (await sql.count('SELECT COALESCE(MAX(id), 0) AS n FROM study')) + 1),

  async insert(
    sql: Sql,
    s: Pick<StudyRecord, 'id' | 'code' | 'title' | 'protocolSha256'> & { protocolYaml: string },
    at: string,
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO study (id, code, title, protocol_yaml, protocol_sha256, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'setup', ?, ?)`,
      [s.id, s.code, s.title, s.protocolYaml, s.protocolSha256, at, at],
    );
  },

  async setStatus(
    sql: Sql,
    studyId: number,
    status: StudyStatus,
    at: string,
    extra: { activeSchemeId?: string; listFingerprint?: string } = {},
  ): Promise<void> {
    const column = { setup: null, active: 'activated_at', locked: 'locked_at', unblinded: 'unblinded_at' }[status];
    const sets = ['status = ?', 'updated_at = ?'];
    const params: unknown[] = [status, at];
    if (column) {
      sets.push(`${column} = ?`);
      params.push(at);
    }
    if (extra.activeSchemeId) {
      sets.push('active_scheme_id = ?', 'list_fingerprint = ?');
      params.push(extra.activeSchemeId, extra.listFingerprint ?? null);
    }
    await sql.exec(`UPDATE study SET ${sets.join(', ')} WHERE id = ?`, [...params, studyId]);
  },
};
