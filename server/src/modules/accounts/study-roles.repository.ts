import { randomUUID } from 'node:crypto';
import type { Role } from '../../../../shared/roles.js';
import { asInt, asJson, asStr, asStrOrNull, type Sql } from '../../database/sql.js';
import { FIRST_STUDY_ID } from '../../database/study-scope.js';
import type { UserRecord } from './user.record.js';

/** A person's role in one study (docs/MULTI-STUDY.md decision 6). Revoked rows stay: they are the history. */
export interface StudyRoleRecord {
  id: string;
  studyId: number;
  userId: string;
  role: Role;
  siteCodes: string[];
  grantedBy: string;
  grantedAt: string;
  revokedBy: string | null;
  revokedAt: string | null;
}

function toStudyRole(r: Record<string, unknown>): StudyRoleRecord {
  return {
    id: asStr(r.id),
    studyId: asInt(r.study_id),
    userId: asStr(r.user_id),
    role: asStr(r.role) as Role,
    siteCodes: asJson<string[]>(r.site_codes, []),
    grantedBy: asStr(r.granted_by),
    grantedAt: asStr(r.granted_at),
    revokedBy: asStrOrNull(r.revoked_by),
    revokedAt: asStrOrNull(r.revoked_at),
  };
}

const sameSites = (a: string[], b: string[]) => [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

export const StudyRolesRepository = {
  /** The live role of a person in a study, or null: the study guard's one question. */
  live: (sql: Sql, studyId: number, userId: string) =>
    sql.one(
      'SELECT * FROM study_roles WHERE study_id = ? AND user_id = ? AND revoked_at IS NULL',
      [studyId, userId],
      toStudyRole,
    ),

  /** Every live role of a person, one per study (the study switcher). */
  liveForUser: (sql: Sql, userId: string) =>
    sql.all(
      'SELECT * FROM study_roles WHERE user_id = ? AND revoked_at IS NULL ORDER BY study_id',
      [userId],
      toStudyRole,
    ),

  /** Every row of a study, revoked ones included, oldest first (access review, members list). */
  history: (sql: Sql, studyId: number) =>
    sql.all('SELECT * FROM study_roles WHERE study_id = ? ORDER BY granted_at, id', [studyId], toStudyRole),

  /**
   * Gives a person a role in a study, revoking the live row it replaces (never an UPDATE of the role:
   * the history keeps who held what when). Does nothing when the live row already says the same.
   */
  async set(
    sql: Sql,
    studyId: number,
    userId: string,
    role: Role,
    siteCodes: string[],
    by: string,
    at: string,
  ): Promise<StudyRoleRecord> {
    const current = await StudyRolesRepository.live(sql, studyId, userId);
    if (current && current.role === role && sameSites(current.siteCodes, siteCodes)) return current;
    if (current) await StudyRolesRepository.revoke(sql, studyId, userId, by, at);
    const row: StudyRoleRecord = {
      id: randomUUID(),
      studyId,
      userId,
      role,
      siteCodes,
      grantedBy: by,
      grantedAt: at,
      revokedBy: null,
      revokedAt: null,
    };
    await sql.exec(
      `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [row.id, studyId, userId, role, JSON.stringify(siteCodes), by, at],
    );
    return row;
  },

  async revoke(sql: Sql, studyId: number, userId: string, by: string, at: string): Promise<boolean> {
    const { affected } = await sql.exec(
      'UPDATE study_roles SET revoked_by = ?, revoked_at = ? WHERE study_id = ? AND user_id = ? AND revoked_at IS NULL',
      [by, at, studyId, userId],
    );
    return affected > 0;
  },

  /**
   * The v1 account API (POST/PATCH /api/users, role grants without a study) sets `users.role` and
   * `users.site_codes`: that is the account's role in the first study, kept in step here so that the
   * guard (which reads study_roles only) sees what the admin set. Skipped before the study is loaded.
   */
  async syncFirstStudy(sql: Sql, user: UserRecord, by: string, at: string): Promise<void> {
    const study = await sql.one('SELECT id FROM study WHERE id = ?', [FIRST_STUDY_ID]);
    if (!study) return;
    await StudyRolesRepository.set(sql, FIRST_STUDY_ID, user.id, user.role, user.siteCodes, by, at);
  },
};
