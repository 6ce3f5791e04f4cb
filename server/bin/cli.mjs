#!/usr/bin/env node
// `npm run cli -- <command>`: build the server code if missing, then run the CLI (no OpenAPI schemas:
// only the server's /api/docs-json reads them).
import { ensureServerBuild, CLI_ENTRY } from './ensure-build.mjs';

ensureServerBuild({ contractSchemas: false });
await import(CLI_ENTRY);
