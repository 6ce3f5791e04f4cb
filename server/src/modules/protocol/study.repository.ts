import type { StudyStatus } from '../../../../shared/contract.js';
import type { Sql } from '../../database/sql.js';
import { toStudyRecord, type StudyRecord } from './study.record.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';

/** The one study of this installation (row id 1 = FIRST_STUDY_ID: its rows and audit chain carry that id). */
/**
 * Every column but the protocol text: every write checks the study's status, and only start-up
 * needs the (large) protocol, through `protocolYaml()`.
 */
const STATUS_COLUMNS =
  'code, title, protocol_sha256, status, active_scheme_id, list_fingerprint, activated_at, locked_at, unblinded_at';

export const StudyRepository = {
  find: (sql: Sql) => sql.one(`SELECT ${STATUS_COLUMNS} FROM study WHERE id = 1`, [], toStudyRecord),

  /** Just the status (read on every authenticated request: blindness depends on it). Null before the study is loaded. */
  status: async (sql: Sql): Promise<StudyStatus | null> => {
    const row = await sql.one<Record<string, unknown>>('SELECT status FROM study WHERE id = 1');
    return row ? (String(row.status) as StudyStatus) : null;
  },

  /** Reads the study row locked for this write transaction (PostgreSQL row lock; SQLite holds the write lock already). */
  findForUpdate: (sql: Sql) =>
    sql.one(
      `SELECT ${STATUS_COLUMNS} FROM study WHERE id = 1${sql.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [],
      toStudyRecord,
    ),

  /** The protocol file as loaded at first start. */
  protocolYaml: async (sql: Sql) => {
    const row = await sql.one<Record<string, unknown>>('SELECT protocol_yaml FROM study WHERE id = 1');
    return row ? String(row.protocol_yaml) : null;
  },

  async insert(
    sql: Sql,
    s: Pick<StudyRecord, 'code' | 'title' | 'protocolSha256'> & { protocolYaml: string },
    at: string,
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO study (id, code, title, protocol_yaml, protocol_sha256, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'setup', ?, ?)`,
      [FIRST_STUDY_ID, s.code, s.title, s.protocolYaml, s.protocolSha256, at, at],
    );
  },

  async setStatus(
    sql: Sql,
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
    await sql.exec(`UPDATE study SET ${sets.join(', ')} WHERE id = 1`, params);
  },
};
