/**
 * The command line: `npm run cli -- <command>`. Each command group lives in its own file under
 * commands/ and registers itself here; every command has --help (commander).
 */
import { Command, CommanderError } from 'commander';
import { COMMAND_GROUPS } from './commands/index.js';
import { CliError } from './cli-error.js';

export async function runCli(argv: string[]): Promise<number> {
  const program = new Command('blindrand')
    .description('blindrand: randomization and blinding for clinical trials')
    .exitOverride()
    .showHelpAfterError();
  for (const register of COMMAND_GROUPS) register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}
