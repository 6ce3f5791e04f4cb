/**
 * The real server as a child process (`node dist/server/bundle/main.js`, what `npm start` runs), as an operator runs it: for
 * tests that kill it, restart it and run several at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { argon2Env, type Argon2Cost } from './env.js';
import { freePort } from './ports.js';
import { SERVER_ENTRY as MAIN } from './entry-points.js';

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function waitForHealth(baseUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      // A server that accepts but never answers (stopped, wedged) must not hold the caller past its deadline.
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server at ${baseUrl} did not become healthy`);
}

export interface StartServerOptions {
  healthTimeoutMs?: number;
  /** Password hashing cost: `test` (default) or `production` (env.ts). */
  argon2?: Argon2Cost;
}

/**
 * Starts the server with `env` (and PATH, HOME, PORT, HOST, the argon2 cost; nothing else is
 * inherited) and waits for a healthy answer (healthTimeoutMs, default 30 s). If it exits or never
 * becomes healthy, it is killed and the error carries its output.
 */
export async function startServer(
  env: Record<string, string>,
  port?: number,
  options: StartServerOptions = {},
): Promise<ServerProcess> {
  const p = port ?? (await freePort());
  let out = '';
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(p),
    HOST: '127.0.0.1',
    ...argon2Env(options.argon2),
  };
  const child = spawn(process.execPath, [MAIN], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${p}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`))),
  );
  exited.catch(() => undefined); // an exit after start-up is the test's business, not an unhandled rejection
  await Promise.race([waitForHealth(baseUrl, options.healthTimeoutMs), exited]).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}; output: ${out}`);
  });
  return {
    child,
    baseUrl,
    port: p,
    output: () => out,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
