/**
 * Failed sign-ins (and co-signatures) for usernames with no active account, in the database
 * (migration 005) so every instance shares them and a restart keeps them. Only the SHA-256 of the
 * name is stored: a password typed into the username field is not kept in clear here.
 */
import { createHash } from 'node:crypto';
import type { Sql } from '../../database/sql.js';

const keyOf = (username: string) => createHash('sha256').update(username, 'utf8').digest('hex');

export const UnknownNameFailures = {
  async find(sql: Sql, username: string): Promise<{ failedAttempts: number } | null> {
    const row = await sql.one<Record<string, unknown>>(
      'SELECT failed_attempts FROM unknown_login_failures WHERE name_hash = ?',
      [keyOf(username)],
    );
    return row ? { failedAttempts: Number(row.failed_attempts) } : null;
  },

  /** +1 inside the caller's write transaction (writers are serialized, so read-then-write is exact). */
  async increment(sql: Sql, username: string, at: string): Promise<number> {
    const key = keyOf(username);
    const row = await sql.one<Record<string, unknown>>(
      'SELECT failed_attempts FROM unknown_login_failures WHERE name_hash = ?',
      [key],
    );
    const count = (row ? Number(row.failed_attempts) : 0) + 1;
    if (row)
      await sql.exec('UPDATE unknown_login_failures SET failed_attempts = ?, updated_at = ? WHERE name_hash = ?', [
        count,
        at,
        key,
      ]);
    else
      await sql.exec(
        'INSERT INTO unknown_login_failures (name_hash, failed_attempts, created_at, updated_at) VALUES (?, ?, ?, ?)',
        [key, count, at, at],
      );
    return count;
  },
};
