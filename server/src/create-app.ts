/**
 * Builds the whole application for a configuration: used by main.ts and by the API tests, which
 * boot it in-process on a fresh database.
 */
import { ConsoleLogger, ValidationPipe, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module.js';
import { v1StudyPaths } from './http/v1-study-paths.js';
import { DatabaseService } from './database/database.service.js';
import { type AppConfig } from './config/config.js';
import { PACKAGE_ROOT } from './config/package-root.js';
import { withContractSchemas } from './contract-schemas.js';
import { checkStartup, type StartupResult } from './startup/startup-check.js';
import { DomainError } from './common/domain-error.js';
import {
  answerClientErrors,
  methodNotAllowed,
  rejectUnstorableValues,
  verifyJsonDepth,
} from './common/request-guards.js';

export interface CreateAppOptions {
  logger?: LoggerService | false;
  serveConsole?: boolean;
  /** The start-up check's result when the caller already ran it (`audit reanchor`). */
  startup?: StartupResult;
}

export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  // Refuses (one line, nothing written) before the database is opened and migrated.
  const { key } = options.startup ?? (await checkStartup(config));
  // The database is opened and migrated while the modules are created (TypeOrmModule).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.build(config, key, createApp), {
    bodyParser: false,
    logger:
      options.logger === undefined ? new StartFailureQuietLogger({ logLevels: ['error', 'warn'] }) : options.logger,
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // First: every later layer (the 405 check, routing, logs) sees the scoped path of a v1 request.
  app.use(v1StudyPaths(() => app.get(DatabaseService)));
  app.use(
    '/api',
    helmet({ contentSecurityPolicy: false }),
    methodNotAllowed(app.getHttpAdapter().getInstance()),
    requireJsonBody,
    express.json({ limit: config.bodyLimitBytes, strict: true, verify: verifyJsonDepth }),
    rejectUnstorableValues,
    express.text({ type: ['text/csv', 'text/plain'], limit: config.bodyLimitBytes }),
  );
  answerClientErrors(app.getHttpServer());
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );

  // Built on the first request for /api/docs or /api/docs-json (a factory), not at every start: scanning
  // every route costs a tenth of a second or more, and the test suite starts the app hundreds of times.
  const document = () =>
    withContractSchemas(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('blindrand API')
          .setDescription('Randomization and blinding for clinical trials (contract v1)')
          .setVersion('1')
          .addBearerAuth()
          .build(),
      ),
    );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  if (options.serveConsole !== false) serveConsole(app);
  await app.init();
  return app;
}

/**
 * Errors and warnings, except Nest's own report of a failed start (context ExceptionHandler): with
 * abortOnError false that error is rethrown to the caller, which reports it in one line (main.ts:
 * `cannot start: …`, no stack). The logger is process-wide, so it is never switched off instead (a
 * throwaway qualification app starts inside the running server).
 */
class StartFailureQuietLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...(rest as [string?, string?]));
  }
}

/** Bodies of writes must be JSON (or CSV for list imports); anything else is 415 before parsing. */
function requireJsonBody(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && ['POST', 'PUT', 'PATCH'].includes(req.method)) {
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('application/json') && !type.startsWith('text/csv')) {
      next(
        new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json (or text/csv for a list import).'),
      );
      return;
    }
  }
  next();
}

/** The console (console/dist) at `/`, with the app's routes falling back to index.html. */
function serveConsole(app: NestExpressApplication): void {
  const dist = join(PACKAGE_ROOT, 'console', 'dist');
  if (!existsSync(join(dist, 'index.html'))) return;
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          workerSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api')) return next();
    res.sendFile(join(dist, 'index.html'));
  });
}
