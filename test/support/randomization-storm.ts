/**
 * The fault-storm harness shared by the reliability tests that break the database under load
 * (storage-full, wal-io-error, postgres-outage): six clients randomize 120 participants, retrying
 * each with its own stable Idempotency-Key until it is acknowledged, while a fault runs; then what
 * was acknowledged is compared with what the database holds.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { newParticipant, pool, randomize } from './factories.js';
import { DEMO_PASSWORD, type Api } from './test-app.js';
import { CLI_ENTRY } from './entry-points.js';

export interface Acknowledged {
  randomizationNumber: number;
  treatmentCode: string;
}

/** Activates a permuted-block scheme (the demo study in `setup`) and registers `count` eligible participants. */
export async function activeStudyWithParticipants(
  api: Api,
  seed: string,
  count = 120,
): Promise<{ inv: string; ids: string[] }> {
  const stat = await api.login('randstat');
  const scheme = await api.post(
    '/api/study/scheme',
    { method: 'permuted-block', params: { blockSizes: [2, 4] }, seed, listLength: count },
    stat,
  );
  if (scheme.status !== 201) throw new Error(`scheme: ${scheme.status} ${scheme.text}`);
  const activated = await api.post('/api/study/activate', { signature: { password: DEMO_PASSWORD } }, stat);
  if (activated.status !== 200) throw new Error(`activate: ${activated.status} ${activated.text}`);
  const inv = await api.login('investigator1');
  const courses = ['RRMS', 'SPMS', 'PPMS'] as const;
  const ids = await pool(
    6,
    Array.from(
      { length: count },
      (_, i) => () => newParticipant(api, inv, { site: 'A', course: courses[i % 3], edss: i % 2 ? 4 : 6 }),
    ),
  );
  return { inv, ids };
}

export interface StormState<P extends string> {
  /** Set by the fault; every acknowledgement is counted under the phase it arrived in. */
  phase: P;
  ackedIn: Record<P, number>;
  acknowledged: Map<string, Acknowledged>;
  /** "503 STORAGE_FULL" → count, for every answer that was not an acknowledgement. */
  statuses: Map<string, number>;
  retryAfterMissing: number;
  /** Requests that got no HTTP answer at all (only counted with countNetworkErrors; else they fail the test). */
  networkErrors: number;
}

export async function runStorm<P extends string>(opts: {
  api: Api;
  inv: string;
  ids: string[];
  /** Idempotency-Key of participant i: `${keyPrefix}-${i}-stable`. */
  keyPrefix: string;
  phases: readonly [P, ...P[]];
  fault: (state: StormState<P>) => Promise<void>;
  countNetworkErrors?: boolean;
  clients?: number;
  maxMs?: number;
}): Promise<StormState<P>> {
  const state: StormState<P> = {
    phase: opts.phases[0],
    ackedIn: Object.fromEntries(opts.phases.map((p) => [p, 0])) as Record<P, number>,
    acknowledged: new Map(),
    statuses: new Map(),
    retryAfterMissing: 0,
    networkErrors: 0,
  };
  let next = 0;
  const stormEnds = Date.now() + (opts.maxMs ?? 90_000);
  const once = async (i: number): Promise<boolean> => {
    const res = await randomize(opts.api, opts.inv, opts.ids[i], stormKey(opts.keyPrefix, i));
    if (res.status === 201) {
      state.acknowledged.set(opts.ids[i], res.body);
      state.ackedIn[state.phase]++;
      return true;
    }
    const label = `${res.status} ${res.body?.code ?? ''}`;
    state.statuses.set(label, (state.statuses.get(label) ?? 0) + 1);
    if (res.status === 503 && !Number(res.headers.get('retry-after'))) state.retryAfterMissing++;
    return false;
  };
  const client = async () => {
    while (next < opts.ids.length && Date.now() < stormEnds) {
      const i = next++;
      while (Date.now() < stormEnds) {
        try {
          if (await once(i)) break;
        } catch (err) {
          if (!opts.countNetworkErrors) throw err;
          state.networkErrors++; // the server itself must stay up: counted, and the test asserts 0
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all([opts.fault(state), ...Array.from({ length: opts.clients ?? 6 }, client)]);
  return state;
}

function stormKey(keyPrefix: string, i: number): string {
  return `${keyPrefix}-${i}-stable`;
}

/** Acknowledged randomizations the database does not hold exactly as answered. */
export function lostAcknowledged(
  acknowledged: Map<string, Acknowledged>,
  rows: Array<{ participant_id: string; randomization_number: unknown; treatment_code: string }>,
  randomizedIds: Set<string>,
): Array<[string, Acknowledged]> {
  const byParticipant = new Map(rows.map((r) => [r.participant_id, r]));
  return [...acknowledged.entries()].filter(([id, body]) => {
    const row = byParticipant.get(id);
    return (
      !row ||
      Number(row.randomization_number) !== body.randomizationNumber ||
      row.treatment_code !== body.treatmentCode ||
      !randomizedIds.has(id)
    );
  });
}

/** SQLite, read through a second connection after the server was killed (before any restart). */
export function readSqliteAfterKill(path: string): {
  integrity: unknown;
  rows: Array<{ participant_id: string; randomization_number: number; treatment_code: string }>;
  randomizedIds: Set<string>;
} {
  const db = new Database(path);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const rows = db
      .prepare('SELECT participant_id, randomization_number, treatment_code FROM allocations')
      .all() as any[];
    const randomizedIds = new Set(
      (db.prepare("SELECT id FROM participants WHERE status = 'randomized'").all() as any[]).map((r) => String(r.id)),
    );
    return { integrity, rows, randomizedIds };
  } finally {
    db.close();
  }
}

/** Answers other than a 503 (each must be zero: a fault is a 503, never a 4xx/500). */
export function non503Count(statuses: Map<string, number>): number {
  return [...statuses.entries()].filter(([label]) => !label.startsWith('503 ')).reduce((n, [, c]) => n + c, 0);
}

/** `audit verify --json` with the given target arguments; an unparsable answer counts as invalid. */
export function cliVerify(args: string[]): { valid: boolean; output?: string } {
  const cli = spawnSync('node', [CLI_ENTRY, 'audit', 'verify', ...args, '--json'], { encoding: 'utf8' });
  try {
    return JSON.parse(cli.stdout);
  } catch {
    return { valid: false, output: cli.stdout + cli.stderr };
  }
}

/** After a restart: the last `count` acknowledged requests, replayed, must answer 201 with their original body. */
export async function replayMismatches(
  api: Api,
  inv: string,
  acknowledged: Map<string, Acknowledged>,
  ids: string[],
  keyPrefix: string,
  count = 30,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, body] of [...acknowledged.entries()].slice(-count)) {
    const again = await randomize(api, inv, id, stormKey(keyPrefix, ids.indexOf(id)));
    if (again.status !== 201 || !isDeepStrictEqual(again.body, body))
      problems.push(`${id}: ${again.status} ${again.text}`);
  }
  return problems;
}
