/**
 * The list as CSV (`stratum,position,arm,treatment_code`): written by `list generate`, read back
 * by `list verify`, and the format of an imported list. Every problem names its line.
 */
import { allStrata } from '../protocol/strata.js';
import type { Protocol } from '../protocol/types.js';
import { EngineError } from './errors.js';
import { protocolArms } from './scheme.js';
import { matchesCodeFormat } from './treatment-codes.js';
import type { Scheme, SchemeEntry } from './types.js';

export const LIST_CSV_HEADER = 'stratum,position,arm,treatment_code';

export interface CsvListRow extends SchemeEntry {
  stratum: string;
  line: number;
}

/** One row per list entry, strata in scheme order. */
export function listToCsv(scheme: Scheme): string {
  const rows = [LIST_CSV_HEADER];
  for (const s of scheme.strata)
    for (const e of s.entries) rows.push(`${s.key},${e.position},${e.armCode},${e.treatmentCode}`);
  return `${rows.join('\n')}\n`;
}

function cells(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * Read a list CSV into rows (shape only: four columns, whole-number positions).
 * @throws EngineError listing every malformed line
 */
export function parseListCsv(csvText: string): CsvListRow[] {
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: Array<{ line: number; message: string }> = [];
  if (
    cells(lines[0] ?? '')
      .join(',')
      .toLowerCase() !== LIST_CSV_HEADER
  ) {
    problems.push({ line: 1, message: `expected the header "${LIST_CSV_HEADER}", got "${lines[0] ?? ''}"` });
  }
  const rows: CsvListRow[] = [];
  lines.forEach((text, i) => {
    if (i === 0 || text.trim() === '') return;
    const c = cells(text);
    if (c.length !== 4)
      return problems.push({ line: i + 1, message: `expected 4 columns (${LIST_CSV_HEADER}), got ${c.length}` });
    const position = Number(c[1]);
    if (!/^\d+$/.test(c[1]) || position < 1)
      return problems.push({ line: i + 1, message: `position must be a whole number ≥ 1, got "${c[1]}"` });
    rows.push({ stratum: c[0], position, armCode: c[2], treatmentCode: c[3], line: i + 1 });
  });
  if (problems.length > 0)
    throw new EngineError(problems.map((p) => `line ${p.line}: ${p.message}`).join('\n'), problems);
  return rows;
}

/**
 * Import a list generated elsewhere, checking it against the protocol: arms known, every stratum
 * present, positions 1..n without gaps or repeats, treatment codes unique and in the protocol's format.
 * @throws EngineError listing every problem with its line
 */
export function importList(protocol: Protocol, csvText: string, options: { siteCodes: string[] }): Scheme {
  const rows = parseListCsv(csvText);
  const problems: Array<{ line: number | null; message: string }> = [];
  const arms = protocolArms(protocol);
  const strata = allStrata(protocol, options.siteCodes).map((s) => ({ ...s, entries: [] as SchemeEntry[] }));
  const byKey = new Map(strata.map((s) => [s.key, s]));
  const codes = new Map<string, number>();
  const positions = new Map<string, number>();
  for (const r of rows) {
    const stratum = byKey.get(r.stratum);
    if (!stratum) problems.push({ line: r.line, message: `unknown stratum "${r.stratum}"` });
    if (!arms.some((a) => a.code === r.armCode))
      problems.push({
        line: r.line,
        message: `unknown arm "${r.armCode}"; expected one of ${arms.map((a) => a.code).join(', ')}`,
      });
    if (!matchesCodeFormat(r.treatmentCode, protocol.treatmentCode)) {
      problems.push({
        line: r.line,
        message: `treatment code "${r.treatmentCode}" does not match the protocol's format (prefix "${protocol.treatmentCode.prefix}", ${protocol.treatmentCode.length} characters of ${protocol.treatmentCode.alphabet})`,
      });
    }
    const seenCode = codes.get(r.treatmentCode);
    if (seenCode !== undefined)
      problems.push({ line: r.line, message: `treatment code "${r.treatmentCode}" already used on line ${seenCode}` });
    codes.set(r.treatmentCode, r.line);
    const posKey = `${r.stratum}#${r.position}`;
    const seenPos = positions.get(posKey);
    if (seenPos !== undefined)
      problems.push({
        line: r.line,
        message: `position ${r.position} of stratum "${r.stratum}" already given on line ${seenPos}`,
      });
    positions.set(posKey, r.line);
    stratum?.entries.push({ position: r.position, armCode: r.armCode, treatmentCode: r.treatmentCode });
  }
  for (const s of strata) {
    if (s.entries.length === 0)
      problems.push({ line: null, message: `stratum "${s.key}" has no entries; every stratum needs a list` });
    s.entries.sort((a, b) => a.position - b.position);
    s.entries.forEach((e, i) => {
      if (
        e.position !== i + 1 &&
        !problems.some((p) => p.message.includes(`position ${e.position} of stratum "${s.key}"`))
      ) {
        problems.push({
          line: positions.get(`${s.key}#${e.position}`) ?? null,
          message: `stratum "${s.key}": positions must run 1, 2, 3, … without gaps; expected ${i + 1}, got ${e.position}`,
        });
      }
    });
  }
  if (problems.length > 0) {
    throw new EngineError(
      problems.map((p) => (p.line !== null ? `line ${p.line}: ${p.message}` : p.message)).join('\n'),
      problems,
    );
  }
  return {
    studyCode: protocol.study.code,
    method: 'import',
    params: {},
    algorithm: 'imported',
    libraryVersion: 'n/a',
    arms,
    live: false,
    treatmentCodeFormat: { ...protocol.treatmentCode },
    strata,
  };
}
