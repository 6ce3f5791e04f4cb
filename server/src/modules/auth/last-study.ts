/**
 * The study the console opens for a person (docs/MULTI-STUDY.md decision 9): remembered on the server, so
 * a reload, another browser or another device opens the same study. Only a study the person holds a live
 * role in is remembered or answered: a revoked role quietly forgets it.
 */
import type { Sql } from '../../database/sql.js';
import { asStr } from '../../database/sql.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { StudyRepository } from '../protocol/study.repository.js';

export const LastStudy = {
  /** The remembered study's code, or null (none, or no live role there any more). */
  code: async (sql: Sql, userId: string): Promise<string | null> =>
    sql.one(
      `SELECT s.code FROM users u
         JOIN study s ON s.id = u.last_study_id
         JOIN study_roles r ON r.study_id = s.id AND r.user_id = u.id AND r.revoked_at IS NULL
       WHERE u.id = ?`,
      [userId],
      (r) => asStr(r.code),
    ),

  /** The study of that code when the person holds a live role in it, else null (the caller answers 404). */
  async memberStudyId(sql: Sql, userId: string, studyCode: string): Promise<number | null> {
    const study = await StudyRepository.findByCode(sql, studyCode);
    if (!study) return null;
    return (await StudyRolesRepository.live(sql, study.id, userId)) ? study.id : null;
  },

  remember: (sql: Sql, userId: string, studyId: number) =>
    sql.exec('UPDATE users SET last_study_id = ? WHERE id = ?', [studyId, userId]),
};
