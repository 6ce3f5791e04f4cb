/**
 * The programs as an operator runs them (`npm start`, `npm run cli`): the bundle that
 * server/bin/bundle-server.mjs makes of tsc's output. Tests spawn these, never dist/server/src.
 */
import { join } from 'node:path';

export const SERVER_ENTRY = join(process.cwd(), 'dist', 'server', 'bundle', 'main.js');
export const CLI_ENTRY = join(process.cwd(), 'dist', 'server', 'bundle', 'cli.js');
