/**
 * Runs the whole application in a child process for the API tests (Jest's module system cannot load
 * NestJS 12's ES modules together with CommonJS packages such as @nestjs/throttler; plain Node can).
 * Protocol over IPC: → {type:'ready', port, config} ; ← {type:'advance', ms} → {type:'advanced'} ;
 * ← {type:'close'} → exits. For the multi-study schema tests, until studies have routes:
 * ← {type:'study-write', studyId, action, checkpoint} → {type:'study-written', error} (one audited write for
 * that study through the real write path) ; ← {type:'study-verify', studyId} → {type:'study-verified', result}.
 */
import 'reflect-metadata';
import { loadConfig } from '../../server/src/config/config.js';
import { createApp } from '../../server/src/create-app.js';
import { Clock } from '../../server/src/common/clock.js';
import { seedDemoIfEmpty } from '../../server/src/modules/demo/demo-seed.js';
import { SYSTEM_ACTOR } from '../../server/src/common/viewer.js';
import { DatabaseService } from '../../server/src/database/database.service.js';
import { AuditService } from '../../server/src/modules/audit/audit.service.js';

type HostMessage = { type: string; ms?: number; studyId?: number; action?: string; checkpoint?: boolean };

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config, {
    logger: process.env.TEST_APP_LOG ? undefined : false,
    serveConsole: process.env.TEST_SERVE_CONSOLE === '1',
  });
  if (process.env.TEST_DEMO !== '0') await seedDemoIfEmpty(app, config.demo.password, config.demo.studyStatus);
  // TEST_APP_PORT: a port chosen beforehand, for a redirect URI registered at a test identity provider.
  await app.listen(Number(process.env.TEST_APP_PORT ?? 0), '127.0.0.1');
  const clock = app.get(Clock);
  process.on('message', async (msg: HostMessage) => {
    if (msg.type === 'study-write') {
      const error = await app
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
    } else if (msg.type === 'study-verify') {
      const result = await app.get(AuditService).verify(undefined, msg.studyId);
      process.send?.({ type: 'study-verified', result });
    } else if (msg.type === 'advance') {
      clock.advance(msg.ms ?? 0);
      process.send?.({ type: 'advanced' });
    } else if (msg.type === 'close') {
      await app.close();
      process.exit(0);
    }
  });
  process.send?.({ type: 'ready', port: app.getHttpServer().address().port, config });
}

main().catch((err) => {
  process.stderr.write(`app-host failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
