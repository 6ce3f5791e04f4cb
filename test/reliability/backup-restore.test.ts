import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { newParticipant, randomize } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CLI_ENTRY as CLI } from '../support/index.js';

function verify(db: string, key: string, checkpoints: string): { code: number; result: any } {
  try {
    return {
      code: 0,
      result: JSON.parse(
        execFileSync(
          'node',
          [CLI, 'audit', 'verify', '--db', db, '--key', key, '--checkpoint', checkpoints, '--json'],
          { encoding: 'utf8' },
        ),
      ),
    };
  } catch (err: any) {
    return { code: err.status, result: JSON.parse(err.stdout) };
  }
}

/** docs/DEPLOYMENT.md: an online SQLite backup while the server writes, and a restore checked by the audit chain. */
describe('online backup and a restore checked by the audit chain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CHECKPOINT_EVERY: '10', DATABASE_URL: '' });
  });
  afterAll(async () => t.close());

  it('backs up while randomizing; the copy verifies; a copy older than the newest checkpoint says what it lost [REL-003]', async () => {
    if (t.config.database.dialect !== 'sqlite') throw new Error('this test needs SQLite');
    const inv = await t.api.login('investigator1');
    const live = new Database(t.config.database.path, { readonly: true });
    const backup = join(t.dir, 'backup.sqlite');
    const writes = (async () => {
      for (let i = 0; i < 8; i++) await randomize(t.api, inv, await newParticipant(t.api, inv), `backup-key-${i}`);
    })();
    await live.backup(backup); // SQLite's online backup API, as `sqlite3 .backup` uses
    await writes;
    live.close();
    const checkpoints = t.config.checkpointLogPath;
    const copy = verify(backup, t.config.signingKeyPath, checkpoints);
    const current = verify(t.config.database.path, t.config.signingKeyPath, checkpoints);
    console.log(
      `backup: ${copy.result.count} entries, valid=${copy.result.valid}; live database: ${current.result.count} entries, valid=${current.result.valid}; problems of the copy: ${copy.result.problems.join('; ') || 'none'}`,
    );
    expect(current.code).toBe(0);
    expect(copy.result.firstInvalidSeq === null || copy.result.firstInvalidSeq === copy.result.count + 1).toBe(true);
    if (copy.result.count < (current.result.checkpoint?.size ?? 0)) {
      // a point-in-time copy behind the newest signed checkpoint: the verifier says how much is missing
      expect(copy.code).toBe(2);
      expect(copy.result.problems.join(' ')).toMatch(/entries were deleted/);
    } else {
      expect(copy.code).toBe(0);
    }

    // the restore of a current copy verifies cleanly
    const restored = join(t.dir, 'restored.sqlite');
    const again = new Database(t.config.database.path, { readonly: true });
    await again.backup(restored);
    again.close();
    copyFileSync(restored, join(t.dir, 'restored-copy.sqlite'));
    const check = verify(join(t.dir, 'restored-copy.sqlite'), t.config.signingKeyPath, checkpoints);
    expect(check.code).toBe(0);
    expect(check.result.count).toBe(current.result.count);
  });
});
