/** The installation checks that read configuration and files: TLS, backups, key location (issue 17 item 2). */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config/config.js';
import { PACKAGE_ROOT } from '../../server/src/config/package-root.js';
import { backups, keyLocation, tls } from '../../server/src/modules/qualification/installation-checks.js';

const dir = mkdtempSync(join(tmpdir(), 'blindrand-qual-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = (env: Record<string, string>) => loadConfig({ DATABASE_PATH: join(dir, 'data', 'db.sqlite'), ...env });

describe('installation checks on configuration', () => {
  it('[QUAL-006] TLS: https passes, localhost passes, plain http on a network name fails unless a TLS proxy is declared', () => {
    expect(tls(config({ PUBLIC_URL: 'https://rando.example-hospital.fr' })).pass).toBe(true);
    expect(tls(config({ PORT: '3000' })).pass).toBe(true);
    expect(tls(config({ PUBLIC_URL: 'http://127.0.0.1:3000' })).pass).toBe(true);
    const plain = tls(config({ PUBLIC_URL: 'http://rando.example-hospital.fr' }));
    expect(plain).toEqual({
      pass: false,
      observed:
        'PUBLIC_URL http://rando.example-hospital.fr is plain http on a network address and no TLS-terminating proxy is declared',
    });
    expect(tls(config({ PUBLIC_URL: 'http://rando.example-hospital.fr', TLS_TERMINATED_BY_PROXY: 'true' })).pass).toBe(
      true,
    );
  });

  it('[QUAL-005] backups: declared, existing, outside the database folder, and recent', () => {
    expect(backups(config({}))).toEqual({
      pass: false,
      observed: 'BACKUP_DIR is not set: no backup destination declared',
    });
    expect(backups(config({ BACKUP_DIR: join(dir, 'nowhere') })).pass).toBe(false);
    const inData = join(dir, 'data', 'backups');
    mkdirSync(inData, { recursive: true });
    writeFileSync(join(inData, 'b.sqlite'), 'x');
    expect(backups(config({ BACKUP_DIR: inData })).observed).toMatch(/inside the database folder/);
    const good = join(dir, 'backups');
    mkdirSync(good);
    expect(backups(config({ BACKUP_DIR: good })).observed).toMatch(/holds no backup file/);
    writeFileSync(join(good, 'old.sqlite'), 'x');
    const old = new Date(Date.now() - 30 * 3_600_000);
    utimesSync(join(good, 'old.sqlite'), old, old);
    expect(backups(config({ BACKUP_DIR: good })).pass).toBe(false);
    expect(backups(config({ BACKUP_DIR: good, BACKUP_MAX_AGE_HOURS: '48' })).pass).toBe(true);
    writeFileSync(join(good, 'new.sqlite'), 'x');
    expect(backups(config({ BACKUP_DIR: good }))).toEqual({
      pass: true,
      observed: expect.stringMatching(/^newest backup new\.sqlite, 0\.0 h old \(limit 26 h\)$/),
    });
    // stamped a hair ahead (timestamp rounding) reads as new; hours ahead is a clock problem
    const ahead = new Date(Date.now() + 2_000);
    utimesSync(join(good, 'new.sqlite'), ahead, ahead);
    expect(backups(config({ BACKUP_DIR: good })).observed).toMatch(/^newest backup new\.sqlite, 0\.0 h old/);
    const future = new Date(Date.now() + 3 * 3_600_000);
    utimesSync(join(good, 'new.sqlite'), future, future);
    expect(backups(config({ BACKUP_DIR: good }))).toEqual({
      pass: false,
      observed: expect.stringMatching(/in the future: check the clocks$/),
    });
  });

  it('[QUAL-003] key location: beside the database is allowed; the database file itself or the published console folder is not', () => {
    expect(keyLocation(config({})).pass).toBe(true);
    expect(keyLocation(config({})).observed).toMatch(/beside the database file: back it up separately/);
    expect(keyLocation(config({ SIGNING_KEY_PATH: join(dir, 'data', 'db.sqlite') })).observed).toMatch(
      /it is the database file/,
    );
    const served = keyLocation(
      config({ SIGNING_KEY_PATH: join(PACKAGE_ROOT, 'console', 'dist', 'audit-signing.key') }),
    );
    expect([served.pass, served.observed]).toEqual([
      false,
      expect.stringMatching(/inside the folder the server publishes/),
    ]);
  });
});
