/** Process entry of the CLI (server/bin/cli.mjs builds first, then runs this). */
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
