import { asStr, asStrOrNull, type Sql } from '../../database/sql.js';

export interface SecondFactorRecord {
  userId: string;
  secretSealed: string;
  confirmedAt: string | null;
  lastStep: number | null;
}

const toRecord = (r: Record<string, unknown>): SecondFactorRecord => ({
  userId: asStr(r.user_id),
  secretSealed: asStr(r.secret_sealed),
  confirmedAt: asStrOrNull(r.confirmed_at),
  lastStep: r.last_step === null || r.last_step === undefined ? null : Number(r.last_step),
});

/** Rows of migration 015. Secrets arrive sealed and recovery codes hashed (second-factor-key.ts). */
export const SecondFactorRepository = {
  find: (sql: Sql, userId: string) => sql.one('SELECT * FROM second_factors WHERE user_id = ?', [userId], toRecord),

  /** A new, unconfirmed secret replaces any earlier unconfirmed one. */
  async startEnrolment(sql: Sql, userId: string, secretSealed: string, at: string): Promise<void> {
    await sql.exec('DELETE FROM second_factors WHERE user_id = ?', [userId]);
    await sql.exec(
      'INSERT INTO second_factors (user_id, secret_sealed, confirmed_at, last_step, created_at) VALUES (?, ?, NULL, NULL, ?)',
      [userId, secretSealed, at],
    );
  },

  confirm: (sql: Sql, userId: string, step: number, at: string) =>
    sql.exec('UPDATE second_factors SET confirmed_at = ?, last_step = ? WHERE user_id = ?', [at, step, userId]),

  /**
   * Records the accepted step; with `strict`, only if it is later than the last one (false: a
   * concurrent request used this code first).
   */
  async acceptStep(sql: Sql, userId: string, step: number, strict: boolean): Promise<boolean> {
    const guard = strict ? ' AND (last_step IS NULL OR last_step < ?)' : '';
    const { affected } = await sql.exec(
      `UPDATE second_factors SET last_step = ? WHERE user_id = ?${guard}`,
      strict ? [step, userId, step] : [step, userId],
    );
    return affected === 1;
  },

  async remove(sql: Sql, userId: string): Promise<void> {
    await sql.exec('DELETE FROM recovery_codes WHERE user_id = ?', [userId]);
    await sql.exec('DELETE FROM second_factors WHERE user_id = ?', [userId]);
  },

  async replaceRecoveryCodes(sql: Sql, userId: string, hashes: string[]): Promise<void> {
    await sql.exec('DELETE FROM recovery_codes WHERE user_id = ?', [userId]);
    for (const hash of hashes)
      await sql.exec('INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)', [userId, hash]);
  },

  /** Marks an unused code used; false when there is no such unused code. */
  async useRecoveryCode(sql: Sql, userId: string, hash: string, at: string): Promise<boolean> {
    const { affected } = await sql.exec(
      'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
      [at, userId, hash],
    );
    return affected === 1;
  },

  async unusedRecoveryCodes(sql: Sql, userId: string): Promise<number> {
    const row = await sql.one<Record<string, unknown>>(
      'SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL',
      [userId],
    );
    return Number(row?.n ?? 0);
  },
};
