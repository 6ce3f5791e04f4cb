/**
 * The one test-support module: servers (the app in a child process with an IPC clock, or the real
 * `main.js` as an operator runs it), the HTTP client, free ports, the demo credentials and the
 * template databases. Test files and the browser support import from here.
 */
export {
  DEMO_PASSWORD,
  DEMO_TOTP_SECRET,
  demoTotp,
  usingPostgres,
  argon2Env,
  testServerEnv,
  type Argon2Cost,
} from './env.js';
export { Api, startTestApp, type ApiResponse, type TestApp, type TestAppOptions } from './test-app.js';
export { startServer, waitForHealth, type ServerProcess, type StartServerOptions } from './server-process.js';
export { freePort } from './ports.js';
export { createPostgresDatabase, postgresAdminUrl, postgresUrlFor } from './postgres-db.js';
export { openRawDb, type RawDb } from './raw-db.js';
export { SERVER_ENTRY, CLI_ENTRY } from './entry-points.js';
