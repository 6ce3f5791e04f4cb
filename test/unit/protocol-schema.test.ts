/**
 * The protocol's JSON Schema is itself valid draft-07, and the validator parse.ts runs
 * (shared/protocol/schema-validator.generated.ts, ajv's standalone code) is the one ajv compiles from it
 * today. Neither is checked at every start: that cost each server start and CLI command about 0.2 s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { PROTOCOL_SCHEMA } from '../../shared/protocol/schema.js';
import { protocolValidatorSource } from '../../server/src/build/protocol-validator-source.js';
import { parseProtocol } from '../../shared/protocol/parse.js';
import { PACKAGE_ROOT } from '../../server/src/config/package-root.js';

describe('the protocol schema [VAL-002]', () => {
  it('is valid against the draft-07 meta-schema', () => {
    const ajv = new Ajv({ strict: false });
    const valid = ajv.validateSchema(PROTOCOL_SCHEMA);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would catch a schema that is not (a type that draft-07 does not have)', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema({ ...PROTOCOL_SCHEMA, type: 'record' })).toBe(false);
  });

  it('is what the checked-in validator was generated from (else: npx tsc && node server/bin/protocol-validator.mjs)', () => {
    const checkedIn = readFileSync(join(PACKAGE_ROOT, 'shared', 'protocol', 'schema-validator.generated.ts'), 'utf8');
    expect(checkedIn === protocolValidatorSource()).toBe(true);
  });

  it('the precompiled validator refuses what the schema refuses and counts lengths in code points, as ajv does', () => {
    const demo = readFileSync(join(PACKAGE_ROOT, 'protocols', 'msct-ms.yaml'), 'utf8');
    expect(parseProtocol(demo).ok).toBe(true);
    const titled = (title: string) => demo.replace(/^ {2}title: .*$/m, `  title: ${title}`);
    // 1,500 emoji: 3,000 UTF-16 units but 1,500 code points, within the title's 2,000 (ajv's ucs2length, which the
    // generated code imports); 2,001 letters are not.
    expect(parseProtocol(titled('\u{1F9EC}'.repeat(1500))).ok).toBe(true);
    const tooLong = parseProtocol(titled('a'.repeat(2001)));
    expect(tooLong.ok).toBe(false);
    expect(tooLong.ok ? '' : tooLong.errors.map((e) => `${e.path} ${e.message}`).join('\n')).toMatch(
      /study\.title.*2000/,
    );
  });
});
