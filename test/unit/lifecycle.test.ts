/** Lifecycles as data: the study and participant tables, the one transition() applier, migration 014. */
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { ERROR_STATUS } from '../../shared/errors.js';
import {
  canMove,
  eventsFrom,
  findMove,
  refusalCode,
  renderTable,
  type Lifecycle,
} from '../../shared/lifecycle/lifecycle.js';
import { PARTICIPANT_LIFECYCLE, type ParticipantEvent } from '../../shared/lifecycle/participant.js';
import { STUDY_LIFECYCLE, STUDY_STATUS_REQUIRED, type StudyEvent } from '../../shared/lifecycle/study.js';
import { hasPermission, ROLES } from '../../shared/roles.js';
import type { AuditInput } from '../../server/src/database/audit/audit-writer.js';
import type { WriteTx } from '../../server/src/database/database.service.js';
import { transition } from '../../server/src/database/transition.js';
import { ddlFor } from '../../server/src/database/migrations/ddl.js';
import { downStatements, STEPS } from '../../server/src/database/migrations/index.js';
import { readRepoFile } from './helpers.js';

const STUDY_MOVES: Array<[string, StudyEvent, string]> = [
  ['setup', 'activate', 'active'],
  ['active', 'lock', 'locked'],
  ['locked', 'unblind', 'unblinded'],
];
const PARTICIPANT_MOVES: Array<[string | null, ParticipantEvent, string]> = [
  [null, 'register', 'eligible'],
  [null, 'register', 'ineligible'],
  ['eligible', 'randomize', 'randomized'],
  ['randomized', 'reveal', 'unblinded'],
];

/** Every (status, event) pair the table does not list, with the code it is refused with. */
function refusals<S extends string, E extends string>(
  lc: Lifecycle<S, E>,
  events: readonly E[],
): Array<[S, E, string]> {
  return lc.statuses.flatMap((s) =>
    events.filter((e) => !canMove(lc, s, e)).map((e): [S, E, string] => [s, e, refusalCode(lc, s, e)]),
  );
}

/** A write transaction as transition() sees it: an actor, a clock, and the audit entries it collects. */
function fakeTx(role = 'investigator', userId: string | null = 'u1') {
  const entries: AuditInput[] = [];
  const tx = {
    actor: { userId, username: 'someone', role },
    now: '2026-01-01T00:00:00.000Z',
    audit: (e: AuditInput) => entries.push(e),
  } as unknown as WriteTx;
  return { tx, entries };
}

describe('lifecycle tables', () => {
  it('the study moves setup → active → locked → unblinded and nothing else', () => {
    expect(STUDY_LIFECYCLE.moves.map((m) => [m.from, m.event, m.to])).toEqual(STUDY_MOVES);
    for (const [from, event, to] of STUDY_MOVES) expect(findMove(STUDY_LIFECYCLE, from as never, event)?.to).toBe(to);
    // every other (status, event) pair is refused: 12 pairs, 3 moves
    expect(refusals(STUDY_LIFECYCLE, ['activate', 'lock', 'unblind'])).toHaveLength(9);
  });

  it('the participant is registered eligible | ineligible, then eligible → randomized → unblinded', () => {
    expect(PARTICIPANT_LIFECYCLE.moves.map((m) => [m.from, m.event, m.to])).toEqual(PARTICIPANT_MOVES);
    expect(findMove(PARTICIPANT_LIFECYCLE, null, 'register', 'ineligible')?.to).toBe('ineligible');
    expect(findMove(PARTICIPANT_LIFECYCLE, null, 'register')).toBeNull(); // the guard must choose
    expect(eventsFrom(PARTICIPANT_LIFECYCLE, 'eligible')).toEqual(['randomize']);
    expect(eventsFrom(PARTICIPANT_LIFECYCLE, 'ineligible')).toEqual([]);
    expect(eventsFrom(PARTICIPANT_LIFECYCLE, 'unblinded')).toEqual([]);
  });

  it('every status appears in a move and every move names a permission some role holds and an audit action', () => {
    for (const lc of [STUDY_LIFECYCLE, PARTICIPANT_LIFECYCLE] as Lifecycle<string, string>[]) {
      expect(new Set(lc.moves.flatMap((m) => [m.from, m.to]).filter((s) => s !== null))).toEqual(new Set(lc.statuses));
      for (const m of lc.moves) {
        expect(ROLES.some((r) => hasPermission(r, m.who))).toBe(true);
        expect(m.audit).toMatch(/^[a-z]+\.[a-z_]+$/);
        expect(m.guard.length).toBeGreaterThan(5);
      }
    }
  });

  it('refused moves answer precise 409 codes: the study must be locked to unblind, an ineligible patient is NOT_ELIGIBLE', () => {
    expect(refusalCode(STUDY_LIFECYCLE, 'active', 'unblind')).toBe('STUDY_NOT_LOCKED');
    expect(refusalCode(STUDY_LIFECYCLE, 'unblinded', 'unblind')).toBe('STUDY_NOT_LOCKED');
    expect(refusalCode(STUDY_LIFECYCLE, 'locked', 'lock')).toBe('STUDY_NOT_ACTIVE');
    expect(refusalCode(STUDY_LIFECYCLE, 'active', 'activate')).toBe('INVALID_TRANSITION');
    expect(refusalCode(PARTICIPANT_LIFECYCLE, 'ineligible', 'randomize')).toBe('NOT_ELIGIBLE');
    expect(refusalCode(PARTICIPANT_LIFECYCLE, 'randomized', 'randomize')).toBe('ALREADY_RANDOMIZED');
    expect(refusalCode(PARTICIPANT_LIFECYCLE, 'unblinded', 'randomize')).toBe('ALREADY_RANDOMIZED');
    expect(refusalCode(PARTICIPANT_LIFECYCLE, 'eligible', 'reveal')).toBe('INVALID_TRANSITION');
    const all = [
      ...refusals(STUDY_LIFECYCLE, ['activate', 'lock', 'unblind']),
      ...refusals(PARTICIPANT_LIFECYCLE, ['register', 'randomize', 'reveal']),
    ];
    for (const [, , code] of all) expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS]).toBe(409);
    for (const code of Object.values(STUDY_STATUS_REQUIRED)) expect(ERROR_STATUS[code]).toBe(409);
  });

  it('docs/ARCHITECTURE-NOTES.md shows the tables as they are', () => {
    // Compared without the padding a Markdown formatter adds to table cells.
    const flat = (md: string) =>
      md
        .split('\n')
        .map((l) =>
          l
            .replace(/\s*\|\s*/g, '|')
            .replace(/-{3,}/g, '---')
            .trim(),
        )
        .join('\n');
    const notes = flat(readRepoFile('docs/ARCHITECTURE-NOTES.md'));
    expect(notes).toContain(flat(renderTable(STUDY_LIFECYCLE)));
    expect(notes).toContain(flat(renderTable(PARTICIPANT_LIFECYCLE)));
  });
});

describe('transition()', () => {
  it("writes the new status and one audit entry with changes.status under the table's action [AUDIT-001]", async () => {
    const { tx, entries } = fakeTx();
    const written: string[] = [];
    const to = await transition(tx, PARTICIPANT_LIFECYCLE, { id: 'p1', status: 'eligible' }, 'randomize', {
      write: async (s) => void written.push(s),
      details: { randomizationNumber: 7, changes: { other: { old: 1, new: 2 } } },
    });
    expect(to).toBe('randomized');
    expect(written).toEqual(['randomized']);
    expect(entries).toEqual([
      {
        action: 'participant.randomized',
        entityType: 'participant',
        entityId: 'p1',
        reason: null,
        details: {
          randomizationNumber: 7,
          changes: { status: { old: 'eligible', new: 'randomized' }, other: { old: 1, new: 2 } },
        },
      },
    ]);
  });

  it('a creating move names its target; the reason goes into the entry', async () => {
    const { tx, entries } = fakeTx('statistician');
    await transition(tx, STUDY_LIFECYCLE, { id: 'MSCT', status: 'active' }, 'lock', {
      write: async () => undefined,
      reason: 'last patient out',
    });
    expect(entries[0]).toMatchObject({
      action: 'study.locked',
      entityType: 'study',
      entityId: 'MSCT',
      reason: 'last patient out',
      details: { changes: { status: { old: 'active', new: 'locked' } } },
    });
    const reg = fakeTx();
    expect(
      await transition(reg.tx, PARTICIPANT_LIFECYCLE, { id: 'p2', status: null }, 'register', {
        to: 'ineligible',
        write: async () => undefined,
      }),
    ).toBe('ineligible');
    expect(reg.entries[0].details).toEqual({ changes: { status: { old: null, new: 'ineligible' } } });
  });

  it('a move the table does not list is a 409 with its code, and nothing is written or audited', async () => {
    const cases: Array<[Lifecycle<string, string>, string, string, string, string]> = [
      [STUDY_LIFECYCLE as Lifecycle<string, string>, 'statistician', 'active', 'unblind', 'STUDY_NOT_LOCKED'],
      [STUDY_LIFECYCLE as Lifecycle<string, string>, 'statistician', 'unblinded', 'lock', 'STUDY_NOT_ACTIVE'],
      [
        STUDY_LIFECYCLE as Lifecycle<string, string>,
        'randomization_statistician',
        'locked',
        'activate',
        'INVALID_TRANSITION',
      ],
      [PARTICIPANT_LIFECYCLE as Lifecycle<string, string>, 'investigator', 'ineligible', 'randomize', 'NOT_ELIGIBLE'],
      [
        PARTICIPANT_LIFECYCLE as Lifecycle<string, string>,
        'investigator',
        'randomized',
        'randomize',
        'ALREADY_RANDOMIZED',
      ],
      [PARTICIPANT_LIFECYCLE as Lifecycle<string, string>, 'investigator', 'eligible', 'reveal', 'INVALID_TRANSITION'],
    ];
    for (const [lc, role, from, event, code] of cases) {
      const { tx, entries } = fakeTx(role);
      let writes = 0;
      const error = await transition(tx, lc, { id: 'x', status: from }, event, {
        write: async () => void writes++,
      }).catch((e: unknown) => e);
      expect({
        event,
        from,
        code: (error as { code?: string }).code,
        status: (error as { status?: number }).status,
        writes,
        entries: entries.length,
      }).toEqual({ event, from, code, status: 409, writes: 0, entries: 0 });
    }
  });

  it("the acting role must hold the move's permission (system writes such as the demo seed have no role)", async () => {
    const monitor = fakeTx('medical_monitor');
    await expect(
      transition(monitor.tx, PARTICIPANT_LIFECYCLE, { id: 'p', status: 'eligible' }, 'randomize', {
        write: async () => undefined,
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(monitor.entries).toEqual([]);
    const system = fakeTx('system', null);
    await expect(
      transition(system.tx, STUDY_LIFECYCLE, { id: 'S', status: 'setup' }, 'activate', {
        write: async () => undefined,
      }),
    ).resolves.toBe('active');
  });
});

describe('migration 014: the participant status alone says unblinded', () => {
  it('drops the redundant flag on SQLite; flagged rows keep their meaning; the down step restores it [REL-006]', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF'); // rows without their site: only the participants table matters here
    const t = ddlFor('sqlite');
    const at = STEPS.findIndex((s) => s.name.startsWith('ParticipantStatus'));
    expect(at).toBeGreaterThan(0);
    for (const step of STEPS.slice(0, at)) for (const statement of step.up(t)) db.exec(statement);
    const insert =
      db.prepare(`INSERT INTO participants (id, site_code, screening_number, status, answers, eligibility_failures, unblinded, created_by, created_at, updated_at)
      VALUES (?, 'A', ?, ?, '{}', '[]', ?, 'x', '2026-01-01', '2026-01-01')`);
    insert.run('p1', 'S1', 'eligible', 0);
    insert.run('p2', 'S2', 'randomized', 0);
    insert.run('p3', 'S3', 'unblinded', 1);
    insert.run('p4', 'S4', 'randomized', 1); // flag without the status (never written by the code; kept meaning anyway)
    for (const statement of STEPS[at].up(t)) db.exec(statement);
    const rows = () => db.prepare('SELECT * FROM participants ORDER BY id').all() as Array<Record<string, unknown>>;
    expect(rows().map((r) => [r.id, r.status])).toEqual([
      ['p1', 'eligible'],
      ['p2', 'randomized'],
      ['p3', 'unblinded'],
      ['p4', 'unblinded'],
    ]);
    expect(Object.keys(rows()[0])).not.toContain('unblinded');
    for (const statement of downStatements(STEPS[at], 'sqlite')) db.exec(statement);
    expect(rows().map((r) => [r.id, r.unblinded])).toEqual([
      ['p1', 0],
      ['p2', 0],
      ['p3', 1],
      ['p4', 1],
    ]);
  });
});
