#!/usr/bin/env node
/**
 * Rewrites shared/protocol/schema-validator.generated.ts, the protocol schema's precompiled validator, from the
 * compiled schema (run `npx tsc -p tsconfig.json` first). The unit test protocol-validator.test.ts fails while the
 * checked-in file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { protocolValidatorSource } = await import(
  join(root, 'dist', 'server', 'src', 'build', 'protocol-validator-source.js')
);
const target = join(root, 'shared', 'protocol', 'schema-validator.generated.ts');
writeFileSync(target, protocolValidatorSource());
console.log(`[protocol validator] ${target} written`);
