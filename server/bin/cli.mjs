#!/usr/bin/env node
// `npm run cli -- <command>`: build the server code if missing, then run the CLI (no OpenAPI schemas:
// only the server's /api/docs-json reads them).
import { ensureServerBuild, root } from './ensure-build.mjs';
import { join } from 'node:path';

ensureServerBuild({ contractSchemas: false });
await import(join(root, 'dist', 'server', 'src', 'cli', 'run.js'));
