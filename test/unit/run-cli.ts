/** Runs the CLI in a child process for cli.test.ts: `node dist/test/unit/run-cli.js <args>`. */
import { runCli } from '../../server/src/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
