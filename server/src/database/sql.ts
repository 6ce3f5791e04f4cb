/**
 * A thin SQL runner over a TypeORM query runner: one placeholder style (`?`) for both dialects,
 * rows as plain objects, and the affected-row count for writes. Repositories speak SQL through
 * it with narrow, intent-named methods.
 */
import type { QueryRunner } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/** Rows as arrays in the order of the select list (better-sqlite3's raw mode). */
export type RawQuery = (sql: string, params: unknown[]) => Promise<unknown[][]>;

interface RawStatement {
  all(...params: unknown[]): unknown[];
}
interface BetterSqlite3Handle {
  prepare(sql: string): { raw(on: boolean): RawStatement };
}
/** Raw-mode statements prepared once per SQLite connection. */
const rawStatements = new WeakMap<BetterSqlite3Handle, Map<string, RawStatement>>();

export class Sql {
  constructor(
    readonly runner: QueryRunner,
    readonly dialect: Dialect,
  ) {}

  /**
   * SQLite only (undefined on PostgreSQL): rows as arrays, statements prepared once — the audit
   * verifier's fast path. On the connection of this runner's data source.
   */
  get raw(): RawQuery | undefined {
    if (this.dialect !== 'sqlite') return undefined;
    const handle = (this.runner.connection.driver as unknown as { databaseConnection?: BetterSqlite3Handle })
      .databaseConnection;
    if (!handle) return undefined;
    return async (sql, params) => {
      let cache = rawStatements.get(handle);
      if (!cache) rawStatements.set(handle, (cache = new Map()));
      let statement = cache.get(sql);
      if (!statement) cache.set(sql, (statement = handle.prepare(sql).raw(true)));
      return statement.all(...params.map(normalize)) as unknown[][];
    };
  }

  /** Runs a statement; `?` placeholders become `$1…$n` on PostgreSQL (the only place this happens). */
  async exec(sql: string, params: unknown[] = []): Promise<{ rows: Record<string, unknown>[]; affected: number }> {
    const text = this.dialect === 'postgres' ? toPositional(sql) : sql;
    const result = await this.runner.query(text, params.map(normalize), true);
    return { rows: (result.records ?? []) as Record<string, unknown>[], affected: result.affected ?? 0 };
  }

  async all<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    map: (row: Record<string, unknown>) => T = (r) => r as T,
  ): Promise<T[]> {
    return (await this.exec(sql, params)).rows.map(map);
  }

  async one<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
    map: (row: Record<string, unknown>) => T = (r) => r as T,
  ): Promise<T | null> {
    const rows = await this.all(sql, params, map);
    return rows[0] ?? null;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const row = await this.one<Record<string, unknown>>(sql, params);
    return row ? Number(Object.values(row)[0]) : 0;
  }
}

function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  return value;
}

/** `?` → `$1…$n`: the one placeholder translation of the code base. */
function toPositional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** SQLite returns 0/1 and PostgreSQL true/false; both read back as a boolean. */
export const asBool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';
export const asInt = (v: unknown): number => Number(v);
export const asStr = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const asStrOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const asJson = <T>(v: unknown, fallback: T): T => {
  if (v === null || v === undefined || v === '') return fallback;
  return typeof v === 'string' ? (JSON.parse(v) as T) : (v as T);
};

/** The driver's error code (SQLITE_BUSY, 23505, 40001…) from a TypeORM QueryFailedError. */
export function driverCode(err: unknown): string | undefined {
  const e = err as { driverError?: { code?: string }; code?: string };
  return e?.driverError?.code ?? e?.code;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
