/**
 * The real server (`node dist/server/bundle/main.js`, what `npm start` runs) for a browser test file, started through the one
 * test-support module (test/support: the process, its health wait, a free port, the demo password
 * and the test-only argon2 cost) on a fresh SQLite database in a temp directory. Builds the console
 * first when console/dist is missing.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEMO_PASSWORD,
  startServer as startServerProcess,
  testServerEnv,
  type Argon2Cost,
} from '../../support/index.js';

/** The repository root (this file runs from dist/test/browser/support). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

export interface RunningServer {
  baseUrl: string;
  /** The server's SQLite file (for the operator's CLI in tests). */
  databasePath: string;
  password: string;
  stop: () => Promise<void>;
  output: () => string;
}

export function ensureConsoleBuilt(): void {
  if (existsSync(join(ROOT, 'console', 'dist', 'index.html')) && !process.env.REBUILD_CONSOLE) return;
  execSync('npx vite build --config console/vite.config.ts --logLevel warn', { cwd: ROOT, stdio: 'inherit' });
}

/** `env` adds to or overrides the server's environment (e.g. PROTOCOL_FILE, SMTP_URL for one file's server). */
export async function startServer(
  options: { studyStatus?: 'setup' | 'active'; env?: Record<string, string>; argon2?: Argon2Cost; port?: number } = {},
): Promise<RunningServer> {
  ensureConsoleBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-browser-'));
  const databasePath = join(dir, 'blindrand.sqlite');
  const env = {
    ...testServerEnv(options.argon2),
    DATABASE_PATH: databasePath,
    DATABASE_URL: '',
    DEMO_STUDY_STATUS: options.studyStatus ?? 'active',
    SMTP_URL: '',
    ...options.env,
  };
  // 90 s to become healthy: a boot on a loaded 2-core machine took over 30 s (the tests' own waits are unchanged).
  const server = await startServerProcess(env, options.port, { argon2: options.argon2, healthTimeoutMs: 90_000 }).catch(
    (err: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    },
  );
  return {
    baseUrl: server.baseUrl,
    databasePath,
    password: DEMO_PASSWORD,
    output: server.output,
    stop: async () => {
      const stopped = server.kill('SIGTERM');
      if (
        (await Promise.race([stopped.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))])) === false
      )
        await server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
