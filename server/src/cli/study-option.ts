/**
 * `--study CODE` on every study-scoped CLI command (issue 16). An instance holds many studies
 * (docs/MULTI-STUDY.md), each with its own records and audit chain; the option is optional while the
 * database holds exactly one study: the command then uses it and says so on stderr, and existing scripts keep
 * working. A code the database does not hold is refused (exit 2) naming the codes it does hold, before
 * anything is read or written. Commands that read a protocol file instead of a database check the code
 * against the file's `study.code`.
 */
import type { Sql } from '../database/sql.js';
import { CliError } from './cli-error.js';

/** `.option(...STUDY_OPTION)`: the same flag and help on every command that reads a study from a database. */
export const STUDY_OPTION = [
  '--study <code>',
  "the study's code, checked against the database (optional while it holds one study, which is then used)",
] as const;

/** The same for commands on a protocol file. */
export const PROTOCOL_STUDY_OPTION = [
  '--study <code>',
  "the study's code, checked against the protocol file's study.code (optional)",
] as const;

/** The study a command works on: its id (which is also its audit chain) and code. */
interface SelectedStudy {
  id: number;
  code: string;
}

/** The study a command works on: the one given (it must exist) or the database's only one. */
export async function selectStudy(sql: Sql, given: string | undefined): Promise<SelectedStudy> {
  const rows = (await sql.all('SELECT id, code FROM study ORDER BY code')).map((r) => ({
    id: Number(r.id),
    code: String(r.code),
  }));
  const codes = rows.map((r) => r.code);
  if (rows.length === 0) throw new CliError('this database holds no study yet', 2);
  if (given !== undefined) {
    const found = rows.find((r) => r.code === given);
    if (!found)
      throw new CliError(`no study with the code "${given}" in this database (it holds: ${codes.join(', ')})`, 2);
    return found;
  }
  if (rows.length > 1)
    throw new CliError(`this database holds several studies: give --study with one of ${codes.join(', ')}`, 2);
  process.stderr.write(`note: --study not given; using the database's only study, ${codes[0]}\n`);
  return rows[0];
}

/** For commands on a protocol file: the given code must be the file's study. */
export function checkProtocolStudy(file: string, fileCode: string, given: string | undefined): void {
  if (given !== undefined && given !== fileCode)
    throw new CliError(`${file} is the protocol of study ${fileCode}, not ${given}`, 2);
}
