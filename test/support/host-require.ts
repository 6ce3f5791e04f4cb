/**
 * Loads a CommonJS package through Node's own module loader instead of Jest's. Jest gives every test file
 * a fresh module registry and so loads and compiles each package again per file: playwright-core alone
 * costs 1.5–6 s of CPU a browser test file (issue 14). Node's require cache keeps one copy per Jest
 * process for all its files. Only for packages whose state nothing relies on being fresh per file and
 * that no test mocks. (Jest replaces `module.createRequire` with its own; `Module._load` is Node's.)
 */
import Module from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

type NodeLoader = {
  _load(request: string, parent: object, isMain: boolean): unknown;
  _nodeModulePaths(from: string): string[];
};

export function hostRequire<T>(id: string): T {
  const loader = Module as unknown as NodeLoader;
  return loader._load(id, { id: HERE, filename: HERE, paths: loader._nodeModulePaths(dirname(HERE)) }, false) as T;
}
