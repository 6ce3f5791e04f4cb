/**
 * The command line: `npm run cli -- <command>`. Each command group lives in its own file under
 * commands/ and registers itself here; every command has --help (commander).
 *
 * runCli never exits the process: it returns the exit code, so the tests call it in-process
 * (one node start-up per test file instead of one per command) and run.ts sets process.exitCode.
 */
import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS } from './commands/index.js';
import { CliError } from './cli-error.js';
import { packageVersion } from '../config/package-root.js';

/** Where a run's output goes: the process streams, or a caller's sinks (the tests collect it). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runCli(argv: string[], io?: CliIo): Promise<number> {
  if (!io) return run(argv, (text) => process.stderr.write(text));
  // The commands write to process.stdout/stderr; for the length of this run those writes go to the
  // sinks. One run at a time: a second concurrent run would steal the first one's output.
  if (redirected) throw new Error('runCli with sinks: another run is still in progress');
  redirected = true;
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => (
    io.stdout(String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    io.stderr(String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    return await run(argv, io.stderr);
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    redirected = false;
  }
}
let redirected = false;

async function run(argv: string[], stderr: (text: string) => void): Promise<number> {
  const program = new Command('blindrand')
    .description('blindrand: randomization and blinding for clinical trials')
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError();
  for (const register of COMMAND_GROUPS) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      stderr(`error: ${err.message}\n`);
      return err.exitCode;
    }
    stderr(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
