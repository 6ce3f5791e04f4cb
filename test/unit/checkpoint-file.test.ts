import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendCheckpointLine,
  parseCheckpointText,
  readCheckpointFileDetailed,
  repairCheckpointFile,
} from '../../server/src/database/audit/checkpoint-file.js';

const cp = (size: number) => ({
  size,
  headHash: 'a'.repeat(64),
  at: '2026-11-29T10:00:00.000Z',
  signature: 'sig',
  publicKey: 'key',
});

describe('the checkpoint file [AUDIT-009]', () => {
  it('tells a torn last line from an unreadable line in the middle, with line numbers', () => {
    const text = `${JSON.stringify(cp(1))}\nnot json\n${JSON.stringify(cp(2))}\n{"size":3,"head`;
    const parsed = parseCheckpointText('/x/audit-checkpoints.jsonl', text);
    expect(parsed.checkpoints.map((c) => c.size)).toEqual([1, 2]);
    expect(parsed.bad).toEqual([
      { line: 2, text: 'not json', torn: false },
      { line: 4, text: '{"size":3,"head', torn: true },
    ]);
    // A complete last line that is not a checkpoint is not "torn".
    expect(parseCheckpointText('f', '{"size":1}\n').bad).toEqual([{ line: 1, text: '{"size":1}', torn: false }]);
  });

  it('appends whole lines, never onto a torn tail; repair moves bad lines aside and keeps the good ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpfile-'));
    try {
      const file = join(dir, 'audit-checkpoints.jsonl');
      appendCheckpointLine(file, cp(1));
      writeFileSync(file, readFileSync(file, 'utf8') + '{"size":2,"hea');
      appendCheckpointLine(file, cp(3));
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines).toEqual([JSON.stringify(cp(1)), '{"size":2,"hea', JSON.stringify(cp(3)), '']);
      expect(readCheckpointFileDetailed(file).bad).toEqual([{ line: 2, text: '{"size":2,"hea', torn: false }]);
      const repaired = repairCheckpointFile(file, new Date('2026-11-29T12:00:00Z'));
      expect(repaired.moved.map((b) => b.line)).toEqual([2]);
      expect(repaired.kept).toBe(2);
      expect(readCheckpointFileDetailed(file)).toMatchObject({ bad: [], checkpoints: [cp(1), cp(3)] });
      expect(readdirSync(dir).sort()).toEqual([
        'audit-checkpoints.jsonl',
        'audit-checkpoints.jsonl.bad-2026-11-29T12-00-00-000Z',
      ]);
      expect(repairCheckpointFile(file).moved).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
