/**
 * Runs the whole application in a child process for the API tests (Jest's module system cannot load
 * NestJS 12's ES modules together with CommonJS packages such as @nestjs/throttler; plain Node can).
 * Protocol over IPC: → {type:'ready', port, config} ; ← {type:'advance', ms} → {type:'advanced'} ;
 * ← {type:'close'} → exits.
 */
import 'reflect-metadata';
import { loadConfig } from '../../server/src/config/config.js';
import { createApp } from '../../server/src/create-app.js';
import { Clock } from '../../server/src/common/clock.js';
import { seedDemoIfEmpty } from '../../server/src/modules/demo/demo-seed.js';

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
  process.on('message', async (msg: { type: string; ms?: number }) => {
    if (msg.type === 'advance') {
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
