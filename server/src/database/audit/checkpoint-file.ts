/**
 * The append-only checkpoint file: one signed checkpoint a line (JSON), a second copy beside the key
 * so that deleting checkpoints from the database does not hide a truncated tail.
 *
 * Each line is written with one write() on an O_APPEND descriptor and fsync'd before the call
 * returns, and only for checkpoints whose transaction committed. A crash can still leave a torn last
 * line: readers report it with file and line (a warning — the database keeps its own copy of that
 * checkpoint), the next append starts on a fresh line instead of gluing onto it, and
 * `audit repair-checkpoint-file` moves unreadable lines aside.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
  fstatSync,
  readSync,
} from 'node:fs';
import type { CheckpointView } from '../../../../shared/contract.js';
import { FIRST_STUDY_ID, type ChainId } from '../study-scope.js';

/** A line of the file: the first study's checkpoints carry no chain (as before many studies), others do. */
type CheckpointLine = CheckpointView & { chain?: ChainId };

export interface BadLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  /** Torn: the last line, without its newline (a write cut short). Otherwise: an unreadable line in the middle. */
  torn: boolean;
}

export interface CheckpointFile {
  path: string;
  /** The checkpoints of the chain asked for (readCheckpointFileDetailed), without their chain tag. */
  checkpoints: CheckpointView[];
  bad: BadLine[];
}

function isCheckpoint(v: unknown): v is CheckpointLine {
  const c = v as CheckpointLine;
  return (
    !!c &&
    (c.chain === undefined || Number.isInteger(c.chain)) &&
    typeof c === 'object' &&
    Number.isInteger(c.size) &&
    typeof c.headHash === 'string' &&
    typeof c.at === 'string' &&
    typeof c.signature === 'string' &&
    typeof c.publicKey === 'string'
  );
}

/** Parses the file's text (the checkpoints of `chain`; every chain's with `null`); never throws on content. */
export function parseCheckpointText(
  path: string,
  text: string,
  chain: ChainId | null = FIRST_STUDY_ID,
): CheckpointFile {
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n') || text === '';
  const result: CheckpointFile = { path, checkpoints: [], bad: [] };
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const last = i === lines.length - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (!isCheckpoint(parsed)) result.bad.push({ line: i + 1, text: raw, torn: last && !endsClean });
    else if (chain === null) result.checkpoints.push(parsed);
    else if ((parsed.chain ?? FIRST_STUDY_ID) === chain) {
      const { chain: _of, ...cp } = parsed;
      result.checkpoints.push(cp);
    }
  });
  return result;
}

/** Reads one chain's checkpoints (`null`: every line as written); a missing file is empty. Unreadable lines are returned, not thrown. */
export function readCheckpointFileDetailed(path: string, chain: ChainId | null = FIRST_STUDY_ID): CheckpointFile {
  if (!existsSync(path)) return { path, checkpoints: [], bad: [] };
  return parseCheckpointText(path, readFileSync(path, 'utf8'), chain);
}

/** The checkpoints only (callers that also report bad lines use readCheckpointFileDetailed). */
export function readCheckpointFile(path: string, chain: ChainId = FIRST_STUDY_ID): CheckpointView[] {
  return readCheckpointFileDetailed(path, chain).checkpoints;
}

/** One line per bad line, naming file and line: for verify results and the CLI. */
export function describeBadLines(file: CheckpointFile): string[] {
  return file.bad.map((b) =>
    b.torn
      ? `checkpoint file ${file.path} line ${b.line}: torn last line (a write cut short; the database keeps that checkpoint) — run \`audit repair-checkpoint-file\``
      : `checkpoint file ${file.path} line ${b.line}: not a checkpoint (unreadable line) — run \`audit repair-checkpoint-file\``,
  );
}

/** True when the file exists, is not empty and does not end with a newline (a torn tail). */
function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

/**
 * Appends one checkpoint as one line: a single write on an append descriptor, then fsync. After a torn
 * tail the line starts with a newline, so it never glues onto the fragment (which stays, reported).
 */
export function appendCheckpointLine(path: string, cp: CheckpointView, chain: ChainId = FIRST_STUDY_ID): void {
  const line: CheckpointLine = chain === FIRST_STUDY_ID ? cp : { chain, ...cp };
  const fd = openSync(path, 'a+', 0o600);
  try {
    const prefix = endsTorn(fd) ? '\n' : '';
    writeSync(fd, prefix + JSON.stringify(line) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Moves unreadable lines aside to `<file>.bad-<time>` and rewrites the file with the good lines
 * (temporary file, fsync, rename). Returns what was moved; nothing is changed when all lines are good.
 */
export function repairCheckpointFile(
  path: string,
  now = new Date(),
): { moved: BadLine[]; asidePath: string | null; kept: number } {
  const file = readCheckpointFileDetailed(path, null);
  if (file.bad.length === 0) return { moved: [], asidePath: null, kept: file.checkpoints.length };
  const asidePath = `${path}.bad-${now.toISOString().replace(/[:.]/g, '-')}`;
  writeFileSync(asidePath, file.bad.map((b) => `line ${b.line}${b.torn ? ' (torn)' : ''}: ${b.text}\n`).join(''), {
    mode: 0o600,
    flag: 'wx',
  });
  const tmp = `${path}.repair-tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, file.checkpoints.map((cp) => JSON.stringify(cp) + '\n').join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { moved: file.bad, asidePath, kept: file.checkpoints.length };
}

/** Union of checkpoints from the database and the file; copies that differ are both kept and both checked. */
export function mergeCheckpoints(fromDb: CheckpointView[], fromFile: CheckpointView[]): CheckpointView[] {
  const unique = new Map<string, CheckpointView>();
  for (const cp of [...fromFile, ...fromDb]) unique.set(`${cp.size}|${cp.headHash}|${cp.at}|${cp.signature}`, cp);
  return [...unique.values()].sort((a, b) => a.size - b.size);
}
