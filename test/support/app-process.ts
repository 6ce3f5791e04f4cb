/** Forks app-host.ts (the whole app in a child process) and speaks its IPC protocol. */
import { fork, type ChildProcess } from 'node:child_process';
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
  /** Asks the app to close (kills it after 5 s). */
  close(): Promise<void>;
}

/** Boots the app with exactly `env` (nothing inherited); resolves when it listens. */
export async function forkAppHost(env: Record<string, string>): Promise<AppHostProcess> {
  const child = fork(HOST, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; config: AppConfig }>((resolve, reject) => {
    child.once('message', (m: any) =>
      m.type === 'ready' ? resolve(m) : reject(new Error(`unexpected ${JSON.stringify(m)}`)),
    );
    child.once('exit', (code) => reject(new Error(`test app exited with code ${code} before listening`)));
  });
  return {
    child,
    port: ready.port,
    config: ready.config,
    advanceClock: (ms) =>
      new Promise<void>((resolve) => {
        child.once('message', () => resolve());
        child.send({ type: 'advance', ms });
      }),
    ask: (message) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send(message);
      }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'close' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
