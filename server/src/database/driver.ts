/**
 * The one driver interface over a TypeORM DataSource, shared by the server (DatabaseService's reads
 * and audit snapshots), the offline CLI (cli/offline-db.ts) and the tests' direct access
 * (test/support/raw-db.ts). Everything speaks SQL through `Sql` (sql.ts), the one place where `?`
 * placeholders become `$n` for PostgreSQL; the repositories are written against `Sql` once.
 */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Sql, type Dialect } from './sql.js';

export class Driver {
  constructor(readonly dataSource: DataSource) {}

  get dialect(): Dialect {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** Runs `work` on one connection (PostgreSQL: one pooled client), outside any transaction. */
  async run<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(new Sql(runner, this.dialect));
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `work` in ONE read-only transaction, so every query sees the same snapshot (SQLite: a
   * deferred read transaction, the snapshot fixed by its first read — give it a connection of its
   * own, as the shared connection would interleave other work; PostgreSQL: REPEATABLE READ READ ONLY).
   */
  snapshot<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.run(async (sql) => {
      await sql.exec(this.dialect === 'postgres' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      try {
        const result = await work(sql);
        await sql.exec('COMMIT');
        return result;
      } catch (err) {
        await sql.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Opens a data source of its own (CLI, tests, a private snapshot connection). */
export async function openDriver(options: DataSourceOptions): Promise<Driver> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  return new Driver(dataSource);
}

/** Runs `work` on a data source of its own, opened for it and closed after (one-off direct access). */
export async function withConnection<T>(options: DataSourceOptions, work: (sql: Sql) => Promise<T>): Promise<T> {
  const driver = await openDriver(options);
  try {
    return await driver.run(work);
  } finally {
    await driver.close();
  }
}
