/**
 * `npm start`: validate the configuration, check the start-up faults (startup/startup-check.ts), open
 * and migrate the database, load the demo on an empty one, serve the API and the console on one port.
 * Every refusal is one line on stderr and exit code 1.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config.js';
import { argon2ProfileNotice } from './modules/auth/argon2-profile.js';
import { totpReplayNotice } from './modules/auth/totp-replay.js';

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
  // A weak test cost must never go unnoticed (argon2-profile.ts): said before anything is hashed.
  const argon2Notice = argon2ProfileNotice();
  if (argon2Notice) process.stderr.write(`blindrand: WARNING: ${argon2Notice}\n`);
  const replayNotice = totpReplayNotice();
  if (replayNotice) process.stderr.write(`blindrand: WARNING: ${replayNotice}\n`);
  let app;
  try {
    // The start-up check first, and the application's modules (Nest, TypeORM, Express: most of a start's CPU) only
    // once it passed: a refusal, which an operator or a supervisor may meet again and again, costs a fraction of a start.
    const { checkStartup } = await import('./startup/startup-check.js');
    const startup = await checkStartup(config);
    const { createApp } = await import('./create-app.js');
    app = await createApp(config, { startup });
  } catch (err) {
    process.stderr.write(`blindrand: cannot start: ${firstLine(err)}\n`);
    process.exit(1);
  }
  if (config.demo.enabled) {
    const { DEMO_TOTP_SECRET, DEMO_USERS, seedDemoIfEmpty } = await import('./modules/demo/demo-seed.js');
    let demo;
    try {
      demo = await seedDemoIfEmpty(app, config.demo.password, config.demo.studyStatus, (password) =>
        // Shown just before the commit (see seedDemoIfEmpty): whatever a kill leaves, its password was shown.
        process.stdout.write(
          `blindrand: demo password: ${password}  (generated; shown only this once — set DEMO_PASSWORD to choose it, or recover with \`blindrand user password-link --username admin\`)\n`,
        ),
      );
    } catch (err) {
      process.stderr.write(`blindrand: cannot load the demo data (nothing of it was kept): ${firstLine(err)}\n`);
      process.exit(1);
    }
    if (demo.created) {
      const users = DEMO_USERS.map((u) => u.username).join(', ');
      process.stdout.write(
        `blindrand: demo data created. Users: ${users}. Password: ${demo.generated ? 'shown above' : '(from DEMO_PASSWORD)'}\n` +
          `blindrand: demo second factor (every demo user but the auditor; demo only, published): add the TOTP secret ${DEMO_TOTP_SECRET} to an authenticator app\n`,
      );
    }
  }
  await app.listen(config.port, config.host);
  const where = config.database.dialect === 'sqlite' ? config.database.path : 'PostgreSQL';
  process.stdout.write(
    `blindrand: listening on http://localhost:${config.port} (API /api, docs /api/docs, database ${where})\n`,
  );
}

/** One line, whatever the error: a driver message can span several. */
function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

main().catch((err) => {
  process.stderr.write(`blindrand: fatal: ${firstLine(err)}\n`);
  process.exit(1);
});
