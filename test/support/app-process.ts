/**
 * Forks app-host.ts (the whole app in a child process) and speaks its IPC protocol.
 *
 * Host processes are pooled per Jest worker (issue 14): loading and compiling the server's modules costs
 * about 2 s of CPU a process, starting an app in a warm one about 0.2 s. A closed app's host goes back to
 * the pool when the app left nothing open (app-host.ts), and the next app with the same process-level
 * settings starts in it, on its own database with its own environment. TEST_APP_POOL=0 forks a new
 * process per app as before.
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../../server/src/config/config.js';

const HOST = join(dirname(fileURLToPath(import.meta.url)), 'app-host.js');

export interface AppHostProcess {
  child: ChildProcess;
  port: number;
  config: AppConfig;
  /** Moves the app's clock forward without sleeping. */
  advanceClock(ms: number): Promise<void>;
  /** Sends one IPC message to app-host.ts and resolves with its answer (the multi-study test hooks). */
  ask<T = any>(message: Record<string, unknown>): Promise<T>;
  /** Closes the app (its process goes back to the pool, or is asked to exit and killed after 5 s). */
  close(): Promise<void>;
}

/**
 * Settings a process reads once and keeps (the argon2 cost of passwords.ts's cached dummy hash, Nest's
 * process-wide logger): a pooled host only serves apps that agree with its first app on them.
 */
const PROCESS_LEVEL = ['PATH', 'HOME', 'NODE_ENV', 'BLINDRAND_ARGON2_PROFILE', 'BLINDRAND_TOTP_REPLAY', 'TEST_APP_LOG'];
/** Idle hosts kept per set of process-level settings (more are asked to exit). */
const MAX_IDLE = 2;

/**
 * Idle hosts by process-level settings. Jest gives each test file its own module registry (this module
 * is loaded again per file) but the same Node built-ins, so the pool hangs on the child_process module
 * object: one pool per Jest worker, across its files.
 */
const POOL = Symbol.for('blindrand.test.appHostPool');
const holder = childProcess as unknown as { [POOL]?: Map<string, ChildProcess[]> };
const pool = (holder[POOL] ??= new Map());

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.connected;

function takeIdle(key: string): ChildProcess | undefined {
  const idle = pool.get(key) ?? [];
  let child: ChildProcess | undefined;
  while ((child = idle.pop()) && !alive(child));
  if (!child) return undefined;
  child.ref();
  (child.channel as { ref?: () => void } | undefined)?.ref?.();
  return child;
}

function putIdle(key: string, child: ChildProcess): void {
  const idle = pool.get(key) ?? [];
  pool.set(key, idle);
  if (idle.length >= MAX_IDLE) {
    child.send({ type: 'close' });
    return;
  }
  // An idle host must not keep the Jest worker alive; it exits itself when the worker goes (app-host.ts).
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
  idle.push(child);
}

/** Resolves with the host's next message, rejects if it exits first. */
function nextMessage<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: T) => {
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`test app exited with code ${code} ${what}`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The promise's value, or null after `ms` (the timer does not outlive the answer). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Boots the app with exactly `env` (nothing inherited); resolves when it listens. */
export async function forkAppHost(env: Record<string, string>): Promise<AppHostProcess> {
  const pooled = process.env.TEST_APP_POOL !== '0';
  const key = PROCESS_LEVEL.map((k) => `${k}=${env[k] ?? ''}`).join('\n');
  let child = pooled ? takeIdle(key) : undefined;
  const reused = child !== undefined;
  child ??= childProcess.fork(HOST, [], {
    env: pooled ? { ...env, TEST_APP_HOST_POOLED: '1' } : env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const host = child;
  if (process.env.TEST_APP_POOL_LOG) process.stderr.write(`[app-pool] ${reused ? 'reused' : 'forked'} ${host.pid}\n`);
  if (pooled) host.send({ type: 'start', env });
  const ready = await nextMessage<{ type: string; port: number; config: AppConfig }>(host, 'before listening');
  if (ready.type !== 'ready') throw new Error(`unexpected ${JSON.stringify(ready)}`);
  return {
    child: host,
    port: ready.port,
    config: ready.config,
    advanceClock: (ms) =>
      new Promise<void>((resolve) => {
        host.once('message', () => resolve());
        host.send({ type: 'advance', ms });
      }),
    ask: (message) =>
      new Promise((resolve) => {
        host.once('message', resolve);
        host.send(message);
      }),
    async close() {
      if (!alive(host)) return;
      if (pooled) {
        const released = nextMessage<{ reusable?: boolean }>(host, 'while closing').catch(() => null);
        host.send({ type: 'release' });
        const answer = await within(released, 5000);
        if (answer?.reusable && alive(host)) return putIdle(key, host);
        if (process.env.TEST_APP_POOL_LOG) process.stderr.write(`[app-pool] not reusable ${host.pid}\n`);
      }
      if (host.exitCode !== null || host.signalCode !== null) return;
      const exited = new Promise((r) => host.once('exit', r));
      if (host.connected) host.send({ type: 'close' });
      await within(exited, 5000);
      if (host.exitCode === null && host.signalCode === null) {
        host.kill('SIGKILL');
        await exited;
      }
    },
  };
}
