import { existsSync, readFileSync } from 'node:fs';
import type { CheckpointView } from '../../../../shared/contract.js';

/** Reads the append-only checkpoint file (one JSON object a line); a missing file is empty. */
export function readCheckpointFile(path: string): CheckpointView[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CheckpointView);
}

/** Union of checkpoints from the database and the file; copies that differ are both kept and both checked. */
export function mergeCheckpoints(fromDb: CheckpointView[], fromFile: CheckpointView[]): CheckpointView[] {
  const unique = new Map<string, CheckpointView>();
  for (const cp of [...fromFile, ...fromDb]) unique.set(`${cp.size}|${cp.headHash}|${cp.at}|${cp.signature}`, cp);
  return [...unique.values()].sort((a, b) => a.size - b.size);
}
