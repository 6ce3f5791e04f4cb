/**
 * Sign-in timing: can an attacker who probes names tell the answers apart by their time? One server
 * at the production argon2 cost; the failures are sent interleaved (one of each kind per round, in a
 * shuffled order) so that load drift hits every kind alike, after a warm-up:
 *  - wrong password of an existing, unlocked account;
 *  - unknown name (a fresh one each time);
 *  - right password, wrong second-factor code (only someone holding the password sees this one);
 *  - locked account (any password);
 *  - unknown name that used up its failures (answers "locked" like a real account).
 * The pairs that must not differ: wrong password / unknown name (both "not correct, N attempts left"),
 * and locked account / locked unknown name (both "locked"). Prints medians, p10–p90, ratios and a
 * rank test of each pair (|z| < 2: not distinguishable with this many tries).
 * Run: npx tsc -p tsconfig.json && node dist/bench/signin-timing.bench.js [rounds]
 */
import { createHash, randomBytes } from 'node:crypto';
import { openRawDb } from '../test/support/raw-db.js';
import { DEMO_PASSWORD, startTestApp } from '../test/support/test-app.js';
import { fmt, machine, percentile } from './support.js';

const rounds = Number(process.argv[2] ?? 100);
const WARM_UP = 5;

/**
 * Mann–Whitney U of two samples, as z (normal approximation, no tie correction: times rarely tie).
 * |z| < 2: the two cannot be told apart at this sample size, whatever the medians say on a noisy machine.
 */
function mannWhitneyZ(a: number[], b: number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  const mean = (a.length * b.length) / 2;
  const sd = Math.sqrt((a.length * b.length * (a.length + b.length + 1)) / 12);
  return (u - mean) / sd;
}

type Kind = 'wrong password' | 'unknown name' | 'wrong code' | 'locked account' | 'locked unknown name';

// LOCKOUT_THRESHOLD at its maximum: the wrong-password and wrong-code accounts must not lock during the run.
const t = await startTestApp({ LOCKOUT_THRESHOLD: '100' }, { argon2: 'production' });
try {
  const lockedName = `gone-${randomBytes(4).toString('hex')}`;
  const raw = await openRawDb(t.config);
  // The monitor is locked as if by failed attempts; an invented name has used up its failures.
  await raw.run('UPDATE users SET locked_at = ?, failed_attempts = 100 WHERE username = ?', [
    new Date().toISOString(),
    'monitor',
  ]);
  const at = new Date().toISOString();
  await raw.run(
    'INSERT INTO unknown_login_failures (name_hash, failed_attempts, created_at, updated_at) VALUES (?, ?, ?, ?)',
    [createHash('sha256').update(lockedName, 'utf8').digest('hex'), 100, at, at],
  );
  /** Between rounds (not timed): the two failing accounts start again from zero failures, never reaching the lock. */
  const unfail = () =>
    raw.run("UPDATE users SET failed_attempts = 0 WHERE username IN ('pharmacist', 'investigator1')");

  const attempt: Record<Kind, () => Record<string, string>> = {
    'wrong password': () => ({ username: 'pharmacist', password: `not-${randomBytes(6).toString('hex')}` }),
    'unknown name': () => ({ username: `nobody-${randomBytes(6).toString('hex')}`, password: 'not-it-at-all' }),
    'wrong code': () => ({ username: 'investigator1', password: DEMO_PASSWORD, totp: '000000' }),
    'locked account': () => ({ username: 'monitor', password: 'not-it-at-all' }),
    'locked unknown name': () => ({ username: lockedName, password: 'not-it-at-all' }),
  };
  const expected: Record<Kind, number> = {
    'wrong password': 401,
    'unknown name': 401,
    'wrong code': 401,
    'locked account': 429,
    'locked unknown name': 429,
  };
  const kinds = Object.keys(attempt) as Kind[];
  const times = new Map<Kind, number[]>(kinds.map((k) => [k, []]));

  const once = async (kind: Kind): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(attempt[kind]()),
    });
    await res.text();
    const ms = performance.now() - t0;
    if (res.status !== expected[kind]) throw new Error(`${kind}: answered ${res.status}, expected ${expected[kind]}`);
    return ms;
  };

  for (let r = 0; r < WARM_UP + rounds; r++) {
    if (r % 50 === 0) await unfail();
    const order = [...kinds].sort(() => Math.random() - 0.5);
    for (const kind of order) {
      const ms = await once(kind);
      if (r >= WARM_UP) times.get(kind)!.push(ms);
    }
  }

  const median = (k: Kind) =>
    percentile(
      [...times.get(k)!].sort((a, b) => a - b),
      50,
    );
  process.stdout.write(`sign-in timing: ${machine()}; ${rounds} rounds after ${WARM_UP} warm-up, argon2 production\n`);
  const base = median('wrong password');
  for (const kind of kinds) {
    const sorted = [...times.get(kind)!].sort((a, b) => a - b);
    process.stdout.write(
      `  ${kind.padEnd(20)} median ${fmt(median(kind), 1).padStart(7)} ms  p10–p90 ${fmt(percentile(sorted, 10), 1)}–${fmt(percentile(sorted, 90), 1)} ms  ×${fmt(median(kind) / base, 3)} of wrong password\n`,
    );
  }
  const pair = (a: Kind, b: Kind) =>
    `  ${a} / ${b}: ratio of medians ${fmt(median(a) / median(b), 3)}, difference ${fmt(median(a) - median(b), 1)} ms, Mann–Whitney z ${fmt(mannWhitneyZ(times.get(a)!, times.get(b)!), 2)}\n`;
  process.stdout.write('pairs a name-probing attacker compares:\n');
  process.stdout.write(pair('unknown name', 'wrong password'));
  process.stdout.write(pair('locked unknown name', 'locked account'));
  await raw.close();
} finally {
  await t.close();
}
