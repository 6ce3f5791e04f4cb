/**
 * B6: server cold start to healthy (process spawn → GET /api/health = 200, on an empty database and
 * on an existing one), and resident memory idle and after 10,000 randomizations over HTTP.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newParticipant, pool, randomize } from '../test/support/factories.js';
import { startServer } from '../test/support/server-process.js';
import { Api, DEMO_PASSWORD } from '../test/support/test-app.js';
import { fmt, machine } from './support.js';

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** CPU seconds (user + system) the process has used so far: the figure that holds on a shared machine. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 per second)
}

const dir = mkdtempSync(join(tmpdir(), 'blindrand-b6-'));
const env = {
  DATABASE_PATH: join(dir, 'db.sqlite'),
  DEMO_PASSWORD,
  DEMO_STUDY_STATUS: 'setup',
  AUTH_THROTTLE_PER_MINUTE: '100000',
};
const total = Number(process.env.B6_RANDOMIZATIONS ?? 10_000);
console.log(`machine: ${machine()}`);
try {
  let t0 = performance.now();
  let server = await startServer(env);
  console.log(
    `B6 cold start to healthy, empty database (migrations + demo users + demo list): ${((performance.now() - t0) / 1000).toFixed(2)} s, ${cpuSeconds(server.child.pid!).toFixed(2)} s CPU`,
  );
  await server.kill('SIGTERM');
  t0 = performance.now();
  server = await startServer(env);
  console.log(
    `B6 cold start to healthy, existing database: ${((performance.now() - t0) / 1000).toFixed(2)} s, ${cpuSeconds(server.child.pid!).toFixed(2)} s CPU`,
  );
  const api = new Api(server.baseUrl);
  const stat = await api.login('randstat'); // the randomization statistician owns the list (DOMAIN.md's role table)
  await api.post(
    '/api/study/scheme',
    {
      method: 'permuted-block',
      params: { blockSizes: [2, 4] },
      seed: 'b6-seed-1',
      listLength: Math.ceil(total / 6) + 10,
    },
    stat,
  );
  await api.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, stat);
  await new Promise((r) => setTimeout(r, 2000));
  console.log(
    `B6 resident memory idle (active list of ${fmt(12 * (Math.ceil(total / 6) + 10))} entries in the database): ${rssMb(server.child.pid!).toFixed(0)} MB`,
  );
  const inv = await api.login('investigator1');
  const courses = ['RRMS', 'SPMS', 'PPMS'] as const;
  const started = performance.now();
  let done = 0;
  await pool(
    16,
    Array.from({ length: total }, (_, i) => async () => {
      const id = await newParticipant(api, inv, { site: 'A', course: courses[i % 3], edss: i % 2 ? 4 : 6 });
      const res = await randomize(api, inv, id, `b6-key-${i}-x`);
      if (res.status !== 201) throw new Error(`randomize ${res.status} ${res.text}`);
      if (++done % 1000 === 0) process.stderr.write(`  ${done}/${total}\n`);
    }),
  );
  console.log(
    `B6 ${fmt(total)} registrations + signed randomizations in ${((performance.now() - started) / 1000).toFixed(0)} s; resident memory after: ${rssMb(server.child.pid!).toFixed(0)} MB`,
  );
  await server.kill('SIGTERM');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
