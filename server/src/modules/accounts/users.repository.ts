import type { Sql } from '../../database/sql.js';
import { toUserRecord, type UserRecord } from './user.record.js';

/** Narrow, intent-named queries on users. */
export const UsersRepository = {
  findById: (sql: Sql, id: string) => sql.one('SELECT * FROM users WHERE id = ?', [id], toUserRecord),
  findByUsername: (sql: Sql, username: string) =>
    sql.one('SELECT * FROM users WHERE username = ?', [username], toUserRecord),
  list: (sql: Sql) => sql.all('SELECT * FROM users ORDER BY username', [], toUserRecord),
  listActiveByRole: (sql: Sql, role: string) =>
    sql.all('SELECT * FROM users WHERE role = ? AND active = ? ORDER BY username', [role, true], toUserRecord),
  count: (sql: Sql) => sql.count('SELECT COUNT(*) AS n FROM users'),

  async insert(sql: Sql, u: UserRecord): Promise<void> {
    await sql.exec(
      `INSERT INTO users (id, username, display_name, email, role, site_codes, password_hash, active, failed_attempts, locked_at, created_by_id, credentials_by_id, locale, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        u.id,
        u.username,
        u.displayName,
        u.email,
        u.role,
        JSON.stringify(u.siteCodes),
        u.passwordHash,
        u.active,
        u.failedAttempts,
        u.lockedAt,
        u.createdById,
        u.credentialsById,
        u.locale ?? null,
        u.createdAt,
        u.updatedAt,
      ],
    );
  },

  async update(sql: Sql, u: UserRecord): Promise<void> {
    await sql.exec(
      `UPDATE users SET display_name = ?, email = ?, role = ?, site_codes = ?, password_hash = ?, active = ?, failed_attempts = ?, locked_at = ?, credentials_by_id = ?, locale = ?, updated_at = ?
       WHERE id = ?`,
      [
        u.displayName,
        u.email,
        u.role,
        JSON.stringify(u.siteCodes),
        u.passwordHash,
        u.active,
        u.failedAttempts,
        u.lockedAt,
        u.credentialsById,
        u.locale ?? null,
        u.updatedAt,
        u.id,
      ],
    );
  },
};
