// A throwaway PostgreSQL cluster for the tests: Debian's binaries, initdb into a temporary folder,
// a free port on 127.0.0.1, stopped and deleted afterwards. PostgreSQL refuses to run as root, so
// as root the cluster runs as Debian's `postgres` user.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function findPostgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function runAs(cmd, args, opts = {}) {
  if (asRoot) return execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], opts);
  return execFileSync(cmd, args, opts);
}

/** `durable: true` keeps PostgreSQL's crash-safety defaults (fsync, synchronous_commit, full_page_writes): qualification checks them. */
export async function startPostgres({ durable = false } = {}) {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  runAs(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], {
    stdio: 'ignore',
  });
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    ...(durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    '-c',
    'max_connections=300',
  ];
  const spawnServer = () =>
    asRoot
      ? spawn('runuser', ['-u', 'postgres', '--', join(bin, 'postgres'), ...args], { stdio: 'ignore' })
      : spawn(join(bin, 'postgres'), args, { stdio: 'ignore' });
  let child = spawnServer();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = async () => {
    for (let i = 0; i < 100; i++) {
      try {
        execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
        return true;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return false;
  };
  if (!(await ready())) {
    child.kill('SIGKILL');
    throw new Error('PostgreSQL did not become ready');
  }
  // As root the child is `runuser`, which does not pass SIGINT on: signal the postmaster itself.
  const signalPostmaster = (signal) => {
    try {
      process.kill(Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]), signal);
    } catch {
      child.kill(signal);
    }
  };
  return {
    url,
    port,
    /** Stops the server (fast shutdown: sessions are terminated with 57P01), keeping its data, for outage tests. */
    async halt() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      signalPostmaster('SIGINT');
      await exited;
    },
    /** Starts the halted server again on the same port and data. */
    async resume() {
      child = spawnServer();
      if (!(await ready())) throw new Error('PostgreSQL did not come back');
    },
    stop() {
      signalPostmaster('SIGINT');
      try {
        execFileSync('sleep', ['1']);
      } catch {
        /* an interrupted wait only shortens the grace period */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
