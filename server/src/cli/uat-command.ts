/**
 * `blindrand uat --protocol FILE [--out DIR] [--format md|html] [--sites A,B]`: writes the user
 * acceptance test scripts of a trial (server/src/cli/uat.ts) — into DIR, one file per script plus
 * an index, or to standard output as one document.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError } from './cli-error.js';
import { loadProtocol } from './commands/protocol.js';
import { buildUatScripts } from './uat.js';
import { indexDocument, renderScript } from './uat-render.js';
import type { UatFormat, UatHeader } from './uat-render.js';
import { packageVersion } from '../config/package-root.js';

/** The version of the installed blindrand (package.json beside dist/), for the scripts' header. */
function blindrandVersion(): string {
  try {
    return packageVersion();
  } catch {
    return 'unknown';
  }
}

export function registerUat(program: Command): void {
  program
    .command('uat')
    .description(
      'write the user acceptance test scripts of a trial from its protocol file: set-up, each stratum, each eligibility rule, each unblinding policy, end of study; with expected results and a signature block',
    )
    .requiredOption('--protocol <file>', 'protocol YAML file of the trial')
    .option('--out <dir>', 'write one file per script and an index into this folder (default: print everything)')
    .option('--format <format>', 'md or html', 'md')
    .action((opts: { protocol: string; out?: string; format: string }) => {
      if (opts.format !== 'md' && opts.format !== 'html')
        throw new CliError(`--format must be md or html, got "${opts.format}"`);
      const format = opts.format as UatFormat;
      const protocol = loadProtocol(opts.protocol);
      const header: UatHeader = {
        protocolFile: opts.protocol,
        protocolSha256: createHash('sha256').update(readFileSync(opts.protocol)).digest('hex'),
        version: blindrandVersion(),
        generatedAt: new Date().toISOString(),
      };
      const scripts = buildUatScripts(protocol);
      if (!opts.out) {
        process.stdout.write(
          [
            indexDocument(protocol, scripts, header, format),
            ...scripts.map((s) => renderScript(protocol, s, header, format)),
          ].join('\n'),
        );
        return;
      }
      try {
        mkdirSync(opts.out, { recursive: true });
        writeFileSync(join(opts.out, `index.${format}`), indexDocument(protocol, scripts, header, format));
        for (const s of scripts)
          writeFileSync(join(opts.out, `${s.id}.${format}`), renderScript(protocol, s, header, format));
      } catch (e) {
        throw new CliError(`cannot write the scripts into ${opts.out}: ${(e as Error).message}`);
      }
      process.stdout.write(
        `${scripts.length} UAT scripts for study ${protocol.study.code} written to ${opts.out} (index.${format})\n`,
      );
    });
}
