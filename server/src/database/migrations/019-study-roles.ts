import type { Ddl } from './ddl.js';

/**
 * Roles per study (issue 16 Build 2, docs/MULTI-STUDY.md decision 6).
 *  - study_roles: which role a person holds in which study, with the sites it covers there. A row is
 *    revoked (revoked_at), never deleted: the access review and the inspector read the history. At most one
 *    live row per (study, user): the partial unique index.
 *  - role_grants.study_id: which study a held grant is for (NULL: an instance change, e.g. a password reset).
 *  - users.last_study_id: the study the console opens next time (remembered on the server, per person).
 * Upgrade in place: every account gets a live row in the first study with the role and sites it holds today,
 * so an upgraded instance behaves exactly as before.
 */
export function studyRoles(t: Ddl): string[] {
  return [
    `CREATE TABLE study_roles (
      id VARCHAR(64) PRIMARY KEY,
      study_id INTEGER NOT NULL REFERENCES study(id),
      user_id VARCHAR(36) NOT NULL REFERENCES users(id),
      role VARCHAR(32) NOT NULL,
      site_codes ${t.json} NOT NULL,
      granted_by VARCHAR(64) NOT NULL,
      granted_at ${t.ts} NOT NULL,
      revoked_by VARCHAR(64),
      revoked_at ${t.ts})`,
    `CREATE UNIQUE INDEX study_roles_live ON study_roles(study_id, user_id) WHERE revoked_at IS NULL`,
    `CREATE INDEX study_roles_user ON study_roles(user_id)`,
    // The id is derived ('upgrade-' + the user's id: 44 characters) so that the statement is the same on both dialects and re-running it is harmless.
    `INSERT INTO study_roles (id, study_id, user_id, role, site_codes, granted_by, granted_at)
      SELECT 'upgrade-' || u.id, s.id, u.id, u.role, u.site_codes, 'upgrade', u.created_at
      FROM users u CROSS JOIN study s WHERE s.id = 1`,
    `ALTER TABLE role_grants ADD COLUMN study_id INTEGER REFERENCES study(id)`,
    `ALTER TABLE users ADD COLUMN last_study_id INTEGER REFERENCES study(id)`,
  ];
}

export function studyRolesDown(): string[] {
  return [
    'ALTER TABLE users DROP COLUMN last_study_id',
    'ALTER TABLE role_grants DROP COLUMN study_id',
    'DROP TABLE study_roles',
  ];
}
