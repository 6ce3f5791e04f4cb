/**
 * Runs the whole application in a child process for the API tests (Jest's module system cannot load
 * NestJS 12's ES modules together with CommonJS packages such as @nestjs/throttler; plain Node can).
 * Protocol over IPC: → {type:'ready', port, config} ; ← {type:'advance', ms} → {type:'advanced'} ;
 * ← {type:'close'} → exits. For the multi-study schema tests, until studies have routes:
 * ← {type:'study-write', studyId, action, checkpoint} → {type:'study-written', error} (one audited write for
 * that study through the real write path) ; ← {type:'study-verify', studyId} → {type:'study-verified', result} ;
 * ← {type:'study-create', studyId, code} → {type:'study-created', error} (second-study.ts).
 *
 * A pooled host (TEST_APP_HOST_POOLED=1, app-process.ts) is reused for app after app, so that the modules
 * are loaded and compiled once per Jest worker instead of once per app (about 2 s of CPU each, issue 14):
 * it waits for ← {type:'start', env} (the app's whole environment, which replaces process.env), and
 * ← {type:'release'} closes the app and answers → {type:'released', reusable} — reusable only when the
 * closed app left no timer, socket or handle behind, so the next app starts in a process as clean as a
 * new one. Each app still gets its own database, settings and Nest container; a failed start exits.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '../../server/src/config/config.js';
import { createApp } from '../../server/src/create-app.js';
import { Clock } from '../../server/src/common/clock.js';
import { seedDemoIfEmpty } from '../../server/src/modules/demo/demo-seed.js';
import { SYSTEM_ACTOR } from '../../server/src/common/viewer.js';
import { DatabaseService } from '../../server/src/database/database.service.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';
import { createSecondStudy } from './second-study.js';

type HostMessage = {
  type: string;
  ms?: number;
  studyId?: number;
  action?: string;
  checkpoint?: boolean;
  code?: string;
  env?: Record<string, string>;
};

let app: INestApplication | null = null;

async function start(): Promise<void> {
  const config = loadConfig(process.env);
  const started = await createApp(config, {
    logger: process.env.TEST_APP_LOG ? undefined : false,
    serveConsole: process.env.TEST_SERVE_CONSOLE === '1',
  });
  if (process.env.TEST_DEMO !== '0') await seedDemoIfEmpty(started, config.demo.password, config.demo.studyStatus);
  // An idle keep-alive connection stays open for the whole test (Node closes it after 5 s): a test that
  // blocks its own process longer (a CLI run with execFileSync on a loaded machine) would otherwise send
  // its next request on a socket the server has just closed ("other side closed"). Closing the app still
  // closes idle connections.
  started.getHttpServer().keepAliveTimeout = 10 * 60_000;
  // TEST_APP_PORT: a port chosen beforehand, for a redirect URI registered at a test identity provider.
  await started.listen(Number(process.env.TEST_APP_PORT ?? 0), '127.0.0.1');
  app = started;
  process.send?.({ type: 'ready', port: started.getHttpServer().address().port, config });
}

function failed(err: unknown): never {
  process.stderr.write(`app-host failed: ${(err as Error).stack}\n`);
  process.exit(1);
}

function handleCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** True when no more handles are open than before the first app (waits briefly for sockets closing). */
async function clean(): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    const now = handleCounts();
    if ([...now].every(([kind, n]) => n <= (idle.get(kind) ?? 0))) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

process.on('message', async (msg: HostMessage) => {
  if (msg.type === 'start') {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, msg.env);
    await start().catch(failed);
  } else if (msg.type === 'study-write') {
    const error = await app!
      .get(DatabaseService)
      .withWriteTransaction(
        SYSTEM_ACTOR,
        async (tx) => {
          tx.audit({ action: msg.action ?? 'test.write', entityType: 'test' });
          if (msg.checkpoint) tx.requestCheckpoint();
        },
        { studyId: msg.studyId },
      )
      .then(
        () => null,
        (err: Error) => err.message,
      );
    process.send?.({ type: 'study-written', error });
  } else if (msg.type === 'study-create') {
    const error = await createSecondStudy(app!, msg.studyId!, msg.code!).then(
      () => null,
      (err: Error) => err.message,
    );
    process.send?.({ type: 'study-created', error });
  } else if (msg.type === 'study-verify') {
    const result = await app!.get(AuditService).verify(msg.studyId ?? 1);
    process.send?.({ type: 'study-verified', result });
  } else if (msg.type === 'advance') {
    app!.get(Clock).advance(msg.ms ?? 0);
    process.send?.({ type: 'advanced' });
  } else if (msg.type === 'release') {
    await app?.close();
    app = null;
    process.send?.({ type: 'released', reusable: await clean() });
  } else if (msg.type === 'close') {
    await app?.close();
    process.exit(0);
  }
});
// The Jest worker that forked this host is gone: nothing will ask for another app.
process.on('disconnect', () => process.exit(0));
/** The handles of a process with no app (the IPC channel, stdio), counted before the first app starts. */
const idle = handleCounts();

if (process.env.TEST_APP_HOST_POOLED !== '1') await start().catch(failed);
