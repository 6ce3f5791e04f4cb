/**
 * The protocol's JSON Schema is itself valid draft-07. parse.ts compiles it without checking it against the
 * meta-schema at every start (that check cost half of the compile); this test is where the check happens.
 */
import { Ajv } from 'ajv';
import { PROTOCOL_SCHEMA } from '../../shared/protocol/schema.js';

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
});
