/**
 * JSON Schema of the protocol file (draft-07, checked by ajv). It checks shapes and types only;
 * cross-references (a question that does not exist, a product code per period) are checked by
 * semantic-checks.ts, which can say more precisely what was expected.
 */

const CODE = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', maxLength: 40 };
const ID = { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 60 };
const TEXT = { type: 'string', minLength: 1, maxLength: 2000 };

const ANSWER_TEST_PROPS = {
  equals: { type: ['boolean', 'string', 'number'] },
  in: { type: 'array', minItems: 1, items: { type: ['string', 'number'] } },
  min: { type: 'number' },
  max: { type: 'number' },
};

const CONDITION = {
  type: 'object',
  additionalProperties: false,
  required: ['question'],
  properties: { question: ID, ...ANSWER_TEST_PROPS },
};

const CRITERION = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'text'],
  properties: {
    id: ID,
    text: TEXT,
    kind: { enum: ['inclusion', 'exclusion'] },
    appliesWhen: CONDITION,
    question: ID,
    ...ANSWER_TEST_PROPS,
    anyOf: { type: 'array', minItems: 1, items: { $ref: '#/definitions/criterion' } },
    allOf: { type: 'array', minItems: 1, items: { $ref: '#/definitions/criterion' } },
  },
};

/** The schema object; exported so protocols/README.md and tools can refer to one source. */
export const PROTOCOL_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  definitions: { criterion: CRITERION },
  required: [
    'version',
    'study',
    'design',
    'products',
    'arms',
    'questions',
    'eligibility',
    'stratification',
    'unblinding',
    'treatmentCode',
  ],
  properties: {
    version: { const: 1 },
    study: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'title'],
      properties: { code: CODE, title: TEXT, registryId: { type: 'string', maxLength: 60 } },
    },
    design: { enum: ['parallel', 'crossover'] },
    periods: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['number', 'label'],
        properties: {
          number: { type: 'integer', minimum: 1 },
          label: TEXT,
          // "day 0", "week 24", "month 6": when the period is given, counted from randomization (period-timing.ts).
          timing: { type: 'string' },
          // Days either side of the target day in which the preparation is due (default 3).
          windowDays: { type: 'integer', minimum: 0, maximum: 90 },
        },
      },
    },
    products: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'label'],
        properties: { code: CODE, label: TEXT },
      },
    },
    arms: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'label', 'ratio', 'products'],
        properties: {
          code: CODE,
          label: TEXT,
          ratio: { type: 'integer', minimum: 1, maximum: 100 },
          products: { type: 'array', minItems: 1, items: CODE },
        },
      },
    },
    sites: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'name'],
        properties: { code: CODE, name: TEXT },
      },
    },
    questions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'label', 'type'],
        properties: {
          id: ID,
          label: TEXT,
          type: { enum: ['boolean', 'number', 'integer', 'choice'] },
          options: { type: 'array', minItems: 2, items: CODE },
          unit: { type: 'string' },
          min: { type: 'number' },
          max: { type: 'number' },
        },
      },
    },
    eligibility: { type: 'array', minItems: 1, items: { $ref: '#/definitions/criterion' } },
    stratification: {
      type: 'object',
      additionalProperties: false,
      required: ['factors'],
      properties: {
        bySite: { type: 'boolean' },
        factors: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'label', 'question', 'levels'],
            properties: {
              id: ID,
              label: TEXT,
              question: ID,
              levels: {
                type: 'array',
                minItems: 2,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['code', 'when'],
                  properties: {
                    code: CODE,
                    label: TEXT,
                    when: {
                      type: 'object',
                      additionalProperties: false,
                      properties: ANSWER_TEST_PROPS,
                      minProperties: 1,
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    unblinding: {
      type: 'object',
      additionalProperties: false,
      required: ['policy'],
      properties: {
        policy: { enum: ['break-the-glass', 'monitor-approval', 'two-person'] },
        // Safety unblinding (SUSAR reporting): the arm goes only to this recipient (a role or one address).
        safety: {
          type: 'object',
          additionalProperties: false,
          required: ['recipient'],
          properties: {
            recipient: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              maxProperties: 1,
              properties: {
                role: { enum: ['pharmacovigilance'] },
                email: { type: 'string', minLength: 3, maxLength: 320 },
              },
            },
          },
        },
        // Who to call 24/7, and what the server does when nobody decides a request in time.
        emergency: {
          type: 'object',
          additionalProperties: false,
          required: ['contacts', 'escalateAfterMinutes', 'escalateTo'],
          properties: {
            contacts: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'role', 'phone'],
                properties: { name: TEXT, role: TEXT, phone: { type: 'string', pattern: '^\\+?[0-9 ().-]{6,30}$' } },
              },
            },
            // A number so that a test protocol can escalate within seconds (0.05 = 3 s); at most a day.
            escalateAfterMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 1440 },
            escalateTo: { enum: ['backup-monitor', 'break-the-glass'] },
            backupMonitors: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' },
            },
          },
        },
      },
    },
    // Free text blinded people read is refused when it names an arm or product (neutral-text.ts);
    // phrases listed here are ordinary vocabulary of the trial and stay allowed ("MSC harvest").
    blinding: {
      type: 'object',
      additionalProperties: false,
      properties: { allowedPhrases: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 } } },
    },
    treatmentCode: {
      type: 'object',
      additionalProperties: false,
      required: ['length'],
      properties: {
        prefix: { type: 'string', pattern: '^[A-Za-z0-9-]*$', maxLength: 10 },
        length: { type: 'integer', minimum: 4, maximum: 16 },
        alphabet: { type: 'string', minLength: 10, maxLength: 64 },
      },
    },
    listLengthPerStratum: { type: 'integer', minimum: 1, maximum: 100000 },
    randomization: {
      type: 'object',
      additionalProperties: false,
      required: ['method'],
      properties: { method: { type: 'string' }, params: { type: 'object' } },
    },
  },
} as const;
