import { describe, expect, it } from '@jest/globals';
import { PeriodicTask } from '../../server/src/common/periodic-task.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The timer skeleton the escalation of unblinding requests and the access-review reminder share. */
describe('PeriodicTask', () => {
  it('runs at start and then on every tick, never two runs at once, and stop waits for the run in progress', async () => {
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    let thirdStarted!: () => void;
    const third = new Promise<void>((r) => (thirdStarted = r));
    const task = new PeriodicTask(
      'test task',
      async () => {
        if (++runs === 3) thirdStarted();
        most = Math.max(most, ++inFlight);
        await sleep(60); // longer than the interval: ticks during a run are skipped
        inFlight--;
      },
      { warn: () => undefined },
    );
    task.start(10);
    expect(runs).toBe(1); // the first run starts at once (what fell due while no server ran)
    await third;
    const stopping = task.stop();
    expect(task.isStopped).toBe(true);
    expect(inFlight).toBe(1);
    await stopping;
    expect(inFlight).toBe(0);
    expect(most).toBe(1);
    task.kick();
    await sleep(100);
    expect(runs).toBe(3); // nothing runs after stop
  });

  it('logs a failed run with its name and runs again at the next tick', async () => {
    const warnings: string[] = [];
    let runs = 0;
    let secondRan!: () => void;
    const second = new Promise<void>((r) => (secondRan = r));
    const task = new PeriodicTask(
      'escalation check',
      async () => {
        if (++runs === 1) throw new Error('database is locked');
        secondRan();
      },
      { warn: (m: unknown) => void warnings.push(String(m)) },
    );
    task.start(20);
    await second; // a test timeout here: the failed run stopped the task
    await task.stop();
    expect(warnings).toEqual(['escalation check failed: database is locked']);
  });

  it('with rerunWhenKicked, kicks during a run start exactly one more run after it (the outbox); without, they are skipped', async () => {
    const kickedDuringRun = async (rerunWhenKicked: boolean) => {
      let runs = 0;
      let release!: () => void;
      const task = new PeriodicTask(
        'outbox drain',
        async () => {
          runs++;
          if (runs === 1) await new Promise<void>((r) => (release = r));
        },
        { warn: () => undefined },
        { rerunWhenKicked },
      );
      task.kick();
      task.kick();
      task.kick();
      release();
      await sleep(50);
      await task.stop();
      return runs;
    };
    expect(await kickedDuringRun(true)).toBe(2);
    expect(await kickedDuringRun(false)).toBe(1);
  });
});
