/**
 * B1: signed randomizations over HTTP with 1 and 16 clients (per second, p50/p99), as a ratio to
 * argon2id verifications per second with the same parameters — the signature is the floor.
 * B2: the allocation core (write transaction + audit entry, no password check) per second, as a
 * ratio to raw better-sqlite3 single-row transactions with the same durability (WAL, FULL).
 * Both ratios are measured in this one run.
 */
import 'reflect-metadata';
import argon2 from 'argon2';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config/config.js';
import { createApp } from '../server/src/create-app.js';
import { DatabaseService } from '../server/src/database/database.service.js';
import { seedDemoIfEmpty } from '../server/src/modules/demo/demo-seed.js';
import { ARGON2_OPTIONS } from '../server/src/modules/auth/passwords.js';
import { RandomizationService } from '../server/src/modules/randomization/randomization.service.js';
import { UsersRepository } from '../server/src/modules/accounts/users.repository.js';
import { StudyService } from '../server/src/modules/study/study.service.js';
import { newParticipant, pool, randomize } from '../test/support/factories.js';
import { DEMO_PASSWORD, startTestApp } from '../test/support/test-app.js';
import { drive, fmt, machine, percentile } from './support.js';

const setupEnv = { DEMO_STUDY_STATUS: 'setup' };

async function activeStudy(t: Awaited<ReturnType<typeof startTestApp>>, listLength: number): Promise<void> {
  const stat = await t.api.login('statistician');
  await t.api.post(
    '/api/study/scheme',
    { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'bench-seed-1', listLength },
    stat,
  );
  const res = await t.api.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, stat);
  if (res.status !== 200) throw new Error(`activate: ${res.text}`);
}

async function argon2PerSecond(clients: number, count: number): Promise<number> {
  const hash = await argon2.hash(DEMO_PASSWORD, ARGON2_OPTIONS);
  const { seconds } = await drive(clients, count, async () => {
    await argon2.verify(hash, DEMO_PASSWORD);
  });
  return count / seconds;
}

async function b1(): Promise<void> {
  const t = await startTestApp(setupEnv);
  try {
    await activeStudy(t, 200);
    const inv = await t.api.login('investigator1');
    for (const clients of [1, 16]) {
      const n = clients === 1 ? 150 : 600;
      const ids = await pool(
        16,
        Array.from(
          { length: n },
          (_, i) => () =>
            newParticipant(t.api, inv, {
              site: 'A',
              course: (['RRMS', 'SPMS', 'PPMS'] as const)[i % 3],
              edss: i % 2 ? 4 : 6,
            }),
        ),
      );
      const { seconds, latencies } = await drive(clients, n, async (i) => {
        const res = await randomize(t.api, inv, ids[i], `bench-b1-${clients}-${i}`);
        if (res.status !== 201) throw new Error(`randomize: ${res.status} ${res.text}`);
      });
      const argon = await argon2PerSecond(clients, clients === 1 ? 100 : 400);
      console.log(
        `B1 signed randomizations over HTTP, ${clients} client(s): ${fmt(n / seconds, 1)} /s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; ` +
          `argon2id verifications (m=19 MiB, t=2, p=1) at the same concurrency: ${fmt(argon, 1)} /s; ratio ${(n / seconds / argon).toFixed(2)}`,
      );
    }
  } finally {
    await t.close();
  }
}

async function b2(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'blindrand-b2-'));
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'db.sqlite'),
    DEMO_PASSWORD,
    DEMO_STUDY_STATUS: 'setup',
  } as NodeJS.ProcessEnv);
  const app = await createApp(config, { logger: false, serveConsole: false });
  try {
    await seedDemoIfEmpty(app, DEMO_PASSWORD, 'setup');
    const study = app.get(StudyService);
    await study.generate(
      { userId: null, username: 'bench', role: 'system' },
      { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed: 'bench-seed-2', listLength: 400 },
    );
    await app
      .get(DatabaseService)
      .withWriteTransaction({ userId: null, username: 'bench', role: 'system' }, (tx) => study.activateIn(tx, null));
    const n = 2000;
    await app.listen(0, '127.0.0.1');
    const port = app.getHttpServer().address().port;
    const { Api } = await import('../test/support/test-app.js');
    const api = new Api(`http://127.0.0.1:${port}`);
    const inv = await api.login('investigator1');
    const db = app.get(DatabaseService);
    const user = (await db.read((sql) => UsersRepository.findByUsername(sql, 'investigator1')))!;
    const viewer = {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      siteCodes: user.siteCodes,
      sessionId: 'bench',
    };
    const signer = {
      userId: user.id,
      username: user.username,
      printedName: user.displayName,
      role: user.role,
      meaning: 'bench',
    };
    const service = app.get(RandomizationService);
    const strata = (['RRMS', 'SPMS', 'PPMS'] as const).flatMap((course) => [4, 6].map((edss) => ({ course, edss })));
    const ids = await pool(
      8,
      Array.from({ length: n }, (_, i) => () => newParticipant(api, inv, { site: 'A', ...strata[i % strata.length] })),
    );
    const started = performance.now();
    for (const [i, id] of ids.entries()) {
      await db.withWriteTransaction({ userId: user.id, username: user.username, role: user.role }, (tx) =>
        service.allocateInTransaction(tx, viewer, id, signer, `b2-key-${i}`, 'x'.repeat(64)),
      );
    }
    const coreSeconds = (performance.now() - started) / 1000;
    const corePerSecond = ids.length / coreSeconds;

    const raw = new Database(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
    const m = 2000;
    const t0 = performance.now();
    for (let i = 0; i < m; i++) {
      raw.exec('BEGIN IMMEDIATE');
      insert.run(`row ${i}`);
      raw.exec('COMMIT');
    }
    const rawPerSecond = m / ((performance.now() - t0) / 1000);
    raw.close();
    console.log(
      `B2 allocation core (transaction + allocation + signature row + idempotency row + audit entry): ${fmt(corePerSecond, 1)} /s over ${ids.length}; raw better-sqlite3 single-row transactions (WAL, FULL): ${fmt(rawPerSecond, 1)} /s; ratio ${(corePerSecond / rawPerSecond).toFixed(2)}`,
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`machine: ${machine()}`);
// BENCH_ONLY=b1 or b2 runs one half.
if (process.env.BENCH_ONLY !== 'b2') await b1();
if (process.env.BENCH_ONLY !== 'b1') await b2();
