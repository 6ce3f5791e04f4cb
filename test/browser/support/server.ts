/**
 * Starts the real server (`node dist/server/src/main.js`) as a child process on a fresh SQLite
 * database in a temp directory, a free port and a known demo password, and waits for /api/health.
 * Builds the console first when console/dist is missing.
 */
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/test/browser/support). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const DEMO_PASSWORD = 'browser-test-pass-1';

export interface RunningServer {
  baseUrl: string;
  /** The server's SQLite file (for the operator's CLI in tests). */
  databasePath: string;
  password: string;
  stop: () => Promise<void>;
  output: () => string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function ensureConsoleBuilt(): void {
  if (existsSync(join(ROOT, 'console', 'dist', 'index.html')) && !process.env.REBUILD_CONSOLE) return;
  execSync('npx vite build --config console/vite.config.ts --logLevel warn', { cwd: ROOT, stdio: 'inherit' });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${log()}`);
}

/** `env` adds to or overrides the server's environment (e.g. PROTOCOL_FILE, SMTP_URL for one file's server). */
export async function startServer(options: { studyStatus?: 'setup' | 'active'; env?: Record<string, string> } = {}): Promise<RunningServer> {
  ensureConsoleBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-browser-'));
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'server', 'src', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'blindrand.sqlite'),
      DATABASE_URL: '',
      DEMO_PASSWORD,
      DEMO_STUDY_STATUS: options.studyStatus ?? 'active',
      AUTH_THROTTLE_PER_MINUTE: '10000',
      SMTP_URL: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, () => out);
  } catch (err) {
    child.kill('SIGKILL'); // a server that never became healthy must not outlive the test run
    throw err;
  }
  return {
    baseUrl,
    databasePath: join(dir, 'blindrand.sqlite'),
    password: DEMO_PASSWORD,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
