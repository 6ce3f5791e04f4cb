/** The protocol's emergency block (contacts, escalation rule) and period timings: validated, located errors, due windows. */
import { readFileSync } from 'node:fs';
import { dueWindow, formatProtocolError, parsePeriodTiming, parseProtocol } from '../../shared/protocol/index.js';
import { repoPath } from './helpers.js';

const demo = readFileSync(repoPath('protocols/msct-ms.yaml'), 'utf8');

function errorsOf(yaml: string): string {
  const r = parseProtocol(yaml, 'p.yaml');
  return r.ok ? '(valid)' : r.errors.map(formatProtocolError).join('\n');
}

describe('[EMERG-012] unblinding.emergency in the protocol', () => {
  it('the demo protocol carries 24/7 contacts and a break-the-glass escalation after 30 minutes', () => {
    const r = parseProtocol(demo);
    if (!r.ok) throw new Error(r.errors.map(formatProtocolError).join('\n'));
    expect(r.protocol.unblinding.emergency).toMatchObject({
      escalateAfterMinutes: 30,
      escalateTo: 'break-the-glass',
      backupMonitors: [],
    });
    expect(r.protocol.unblinding.emergency!.contacts.length).toBeGreaterThanOrEqual(1);
  });

  it('rejects a backup-monitor escalation without backup monitors, a bad phone number, a zero delay and an unknown target, each with its line', () => {
    expect(errorsOf(demo.replace('escalateTo: break-the-glass', 'escalateTo: backup-monitor'))).toMatch(
      /unblinding\.emergency\.escalateTo \(line \d+\): escalateTo is backup-monitor; expected a "backupMonitors" list/,
    );
    expect(errorsOf(demo.replace('"+33 5 61 00 00 01"', 'call-the-ward'))).toMatch(
      /unblinding\.emergency\.contacts\[0\]\.phone \(line \d+\)/,
    );
    expect(errorsOf(demo.replace('escalateAfterMinutes: 30', 'escalateAfterMinutes: 0'))).toMatch(
      /escalateAfterMinutes \(line \d+\)/,
    );
    expect(errorsOf(demo.replace('escalateTo: break-the-glass', 'escalateTo: nobody'))).toMatch(
      /escalateTo \(line \d+\)/,
    );
    expect(
      errorsOf(
        demo.replace('escalateTo: break-the-glass', 'escalateTo: break-the-glass\n    backupMonitors: [monitor]'),
      ),
    ).toMatch(/backupMonitors.*only used with escalateTo: backup-monitor/);
    expect(
      errorsOf(
        demo.replace(
          'escalateTo: break-the-glass',
          'escalateTo: backup-monitor\n    backupMonitors: [monitor, monitor]',
        ),
      ),
    ).toMatch(/duplicate backup monitor "monitor"/);
    expect(
      errorsOf(
        demo.replace('escalateTo: break-the-glass', 'escalateTo: backup-monitor\n    backupMonitors: [monitor]'),
      ),
    ).toBe('(valid)');
  });

  it('stays valid when only the policy changes to break-the-glass (nothing is ever pending then)', () => {
    expect(errorsOf(demo.replace('policy: monitor-approval', 'policy: break-the-glass'))).toBe('(valid)');
  });
});

describe('[EMERG-006] period timing and due windows', () => {
  it("reads day/week/month timings and refuses others with the period's line", () => {
    expect([
      parsePeriodTiming('day 0'),
      parsePeriodTiming('Week 24'),
      parsePeriodTiming('month 6'),
      parsePeriodTiming('12 weeks'),
      parsePeriodTiming('soon'),
    ]).toEqual([0, 168, 180, 84, null]);
    expect(errorsOf(demo.replace('timing: week 24', 'timing: after recovery'))).toMatch(
      /periods\[1\]\.timing \(line 14\): timing "after recovery" is not understood/,
    );
  });

  it('a day-0 window starts at randomization; later windows centre on the offset, windowDays wide', () => {
    const at = '2026-01-01T10:00:00.000Z';
    expect(dueWindow({ number: 1, label: 'P1', timing: 'day 0' }, 0, at)).toEqual({
      dueAt: at,
      dueFrom: at,
      dueBy: '2026-01-04T10:00:00.000Z',
      offsetDays: 0,
    });
    expect(dueWindow({ number: 2, label: 'P2', timing: 'week 2', windowDays: 1 }, 1, at)).toEqual({
      dueAt: '2026-01-15T10:00:00.000Z',
      dueFrom: '2026-01-14T10:00:00.000Z',
      dueBy: '2026-01-16T10:00:00.000Z',
      offsetDays: 14,
    });
    expect(dueWindow({ number: 2, label: 'P2' }, 1, at)).toBeNull();
  });
});
