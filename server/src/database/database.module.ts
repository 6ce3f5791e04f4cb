/**
 * The data sources through `@nestjs/typeorm`, as the design asks: TypeOrmModule.forRootAsync with the
 * configuration injected (APP_CONFIG) and the openers of data-sources.ts (which migrate the writer).
 * Services receive them with `@InjectDataSource()` (the writer, or PostgreSQL's one pool) and
 * `@InjectDataSource(READER)` (SQLite's read-only connection).
 */
import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { AppConfig, DatabaseConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { openSqlite, openWriter, readerOptions, writerOptions } from './data-sources.js';

/** The name of the SQLite read-only data source (`@InjectDataSource(READER)`). */
export const READER = 'reader';

/**
 * The data source modules: the writer (default name) and, on SQLite, the read-only READER. Start-up
 * faults surface at once (no retry loop): the caller turns them into one line and exit code 1.
 */
export function databaseModules(config: AppConfig): DynamicModule[] {
  const noRetry = { retryAttempts: 1, toRetry: () => false };
  const writer = TypeOrmModule.forRootAsync({
    inject: [APP_CONFIG],
    useFactory: (c: AppConfig) => ({ ...writerOptions(c.database), ...noRetry }),
    dataSourceFactory: (options) => openWriter(options!),
  });
  if (config.database.dialect === 'postgres') return [writer];
  const reader = TypeOrmModule.forRootAsync({
    name: READER,
    // Injecting the writer orders the opening: the reader needs the file the writer created and migrated.
    inject: [APP_CONFIG, getDataSourceToken()],
    useFactory: (c: AppConfig) => ({
      ...readerOptions(c.database as Extract<DatabaseConfig, { dialect: 'sqlite' }>),
      ...noRetry,
    }),
    dataSourceFactory: (options) => openSqlite(options!, false),
  });
  return [writer, reader];
}
