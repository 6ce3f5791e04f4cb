import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { ddlFor } from '../../server/src/database/migrations/ddl.js';
import { downStatements, STEPS } from '../../server/src/database/migrations/index.js';

describe('migrations', () => {
  it('apply in order on SQLite and revert step by step to an empty schema [REL-006]', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const tables = () =>
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
      ).map((r) => r.name);
    const after: string[][] = [];
    for (const step of STEPS) {
      for (const statement of step.up(ddlFor('sqlite'))) db.exec(statement);
      after.push(tables());
    }
    expect(tables()).toEqual(
      expect.arrayContaining([
        'audit_log',
        'allocations',
        'list_entries',
        'participants',
        'unblinding_requests',
        'mail_outbox',
      ]),
    );
    for (let i = STEPS.length - 1; i >= 0; i--) {
      for (const statement of downStatements(STEPS[i], 'sqlite')) db.exec(statement);
      expect(tables()).toEqual(i === 0 ? [] : after[i - 1]);
    }
  });

  it('refuses to guess the undo of anything but CREATE and seed INSERT', () => {
    expect(() =>
      downStatements({ name: 'Alter1764070000099', up: () => ['ALTER TABLE users ADD COLUMN x INTEGER'] }, 'sqlite'),
    ).toThrow(/explicit down/);
  });
});
