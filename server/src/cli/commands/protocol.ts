/** `protocol validate FILE`: check a protocol file; every problem with its field path and line. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatProtocolError, parseProtocol, stratumFactorIds } from '../../../../shared/protocol/index.js';
import type { Protocol } from '../../../../shared/protocol/index.js';
import { CliError } from '../cli-error.js';
import { checkProtocolStudy, PROTOCOL_STUDY_OPTION } from '../study-option.js';

/** The file's text, or one clear line when it cannot be read. */
function readProtocolText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read protocol file ${file}: ${(e as Error).message}`);
  }
}

/** Read and parse a protocol file, or fail with every problem listed (used by list and simulate too). */
export function loadProtocol(file: string): Protocol {
  const result = parseProtocol(readProtocolText(file), file);
  if (!result.ok)
    throw new CliError(
      `${file} is not a valid protocol:\n${result.errors.map((e) => `  ${file}:${formatProtocolError(e)}`).join('\n')}`,
      2,
    );
  return result.protocol;
}

export function register(program: Command): void {
  const protocol = program.command('protocol').description('protocol files (YAML): check them before use');
  protocol
    .command('validate')
    .description('check a protocol file; prints every problem with its field path and line (exit 2 when invalid)')
    .argument('<file>', 'protocol YAML file, e.g. protocols/msct-ms.yaml')
    .option('--json', 'print {ok, errors} or {ok, summary} as JSON')
    .option(...PROTOCOL_STUDY_OPTION)
    .action((file: string, opts: { json?: boolean; study?: string }) => {
      const result = parseProtocol(readProtocolText(file), file);
      if (!result.ok) {
        if (opts.json) process.stdout.write(`${JSON.stringify({ ok: false, errors: result.errors }, null, 2)}\n`);
        else for (const e of result.errors) process.stderr.write(`${file}:${formatProtocolError(e)}\n`);
        throw new CliError(`${file}: ${result.errors.length} problem(s)`, 2);
      }
      const p = result.protocol;
      checkProtocolStudy(file, p.study.code, opts.study);
      const summary = {
        study: p.study.code,
        design: p.design,
        periods: p.periods.length,
        arms: p.arms.map((a) => `${a.code} (${a.ratio})`),
        questions: p.questions.length,
        criteria: p.eligibility.length,
        stratification: stratumFactorIds(p),
        unblinding: p.unblinding.policy,
      };
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, summary }, null, 2)}\n`);
      else {
        process.stdout.write(
          `${file}: valid — study ${summary.study}, ${summary.design} design, ${summary.periods} period(s), arms ${summary.arms.join(', ')}; ` +
            `${summary.questions} questions, ${summary.criteria} top-level criteria; strata by ${summary.stratification.join(' × ') || '(none)'}; unblinding ${summary.unblinding}\n`,
        );
      }
    });
}
