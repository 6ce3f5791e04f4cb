/**
 * `npm start`: validate the configuration, open and migrate the database, load the demo on an
 * empty one, serve the API and the console on one port.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config.js';
import { createApp } from './create-app.js';
import { seedDemoIfEmpty } from './modules/demo/demo-seed.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`blindrand: configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let app;
  try {
    app = await createApp(config);
  } catch (err) {
    process.stderr.write(`blindrand: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  if (config.demo.enabled) {
    const demo = await seedDemoIfEmpty(app, config.demo.password, config.demo.studyStatus);
    if (demo.created) {
      const shown = demo.generated ? `${demo.password}  (generated; shown only this once — set DEMO_PASSWORD to choose it)` : '(from DEMO_PASSWORD)';
      process.stdout.write(`blindrand: demo data created. Users: admin, investigator1, investigator2, pharmacist, monitor, statistician, statistician2, auditor. Password: ${shown}\n`);
    }
  }
  await app.listen(config.port, config.host);
  const where = config.database.dialect === 'sqlite' ? config.database.path : 'PostgreSQL';
  process.stdout.write(`blindrand: listening on http://localhost:${config.port} (API /api, docs /api/docs, database ${where})\n`);
}

main().catch((err) => {
  process.stderr.write(`blindrand: fatal: ${(err as Error).message}\n`);
  process.exit(1);
});
