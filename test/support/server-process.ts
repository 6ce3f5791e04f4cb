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
 * inherited) and waits until it says it listens and answers healthy (healthTimeoutMs, default 30 s).
 * If it exits or never becomes healthy, it is killed and the error carries its output.
 *
 * Without `port`, a free one is chosen; another process may take it between the choice and the
 * server's bind (test files run side by side). The answer on the port then comes from someone else's
 * server, so health alone is not trusted: the server must also print that it listens on that port. A
 * server that lost its port (EADDRINUSE) is started again on another one.
 */
export async function startServer(
  env: Record<string, string>,
  port?: number,
  options: StartServerOptions = {},
): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, port ?? (await freePort()), options);
    } catch (err) {
      if (port !== undefined || attempt >= 3 || !(err instanceof PortTaken)) throw err;
    }
  }
}

/** The server could not bind the port it was given: another process holds it. */
class PortTaken extends Error {}

async function startOnce(env: Record<string, string>, p: number, options: StartServerOptions): Promise<ServerProcess> {
  let out = '';
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(p),
    HOST: '127.0.0.1',
    ...argon2Env(options.argon2),
  };
  const child = spawn(process.execPath, [MAIN], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // main.ts prints this line once app.listen() has bound the port.
  const listeningLine = `blindrand: listening on http://localhost:${p} `;
  let heard: () => void = () => undefined;
  let deaf: NodeJS.Timeout | undefined;
  const timeoutMs = options.healthTimeoutMs ?? 30_000;
  const listening = new Promise<void>((resolve, reject) => {
    heard = resolve;
    deaf = setTimeout(() => reject(new Error(`server on port ${p} did not say it listens`)), timeoutMs);
  }).finally(() => clearTimeout(deaf));
  child.stdout!.on('data', (d) => {
    out += d;
    if (out.includes(listeningLine)) heard();
  });
  child.stderr!.on('data', (d) => (out += d));
  const baseUrl = `http://127.0.0.1:${p}`;
  child.once('exit', () => clearTimeout(deaf));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(
        /EADDRINUSE/.test(out)
          ? new PortTaken(`port ${p} was taken by another process: ${out}`)
          : new Error(`server exited with ${code}: ${out}`),
      ),
    ),
  );
  exited.catch(() => undefined); // an exit after start-up is the test's business, not an unhandled rejection
  await Promise.race([Promise.all([listening, waitForHealth(baseUrl, timeoutMs)]), exited]).catch((err: Error) => {
    child.kill('SIGKILL');
    if (err instanceof PortTaken) throw err;
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
