#!/usr/bin/env node
// `npm run cli -- <command>`: build the server code if missing, then run the CLI.
import { ensureServerBuild, root } from './ensure-build.mjs';
import { join } from 'node:path';

ensureServerBuild();
await import(join(root, 'dist', 'server', 'src', 'cli', 'run.js'));
