#!/usr/bin/env node
// `npm start`: build what is missing, then migrate and serve (server/src/main.ts).
import { ensureServerBuild, ensureConsoleBuild, root } from './ensure-build.mjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

ensureServerBuild();
if (existsSync(join(root, 'console', 'vite.config.ts'))) ensureConsoleBuild();
await import(join(root, 'dist', 'server', 'src', 'main.js'));
