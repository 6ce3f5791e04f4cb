/**
 * What must never reach a blinded viewer: field names that carry an allocation, and any text that
 * names an arm or product of the protocol (shared/protocol/neutral-text.ts, the one neutral-text
 * check). Used by the blinding interceptor and the error filter (every string of every answer to
 * a blinded caller), by notifications, by the write-time check, and by the leak-crawl tests.
 */
import {
  findArmWord,
  neutralTextVocabulary,
  redactArmWords,
  type NeutralTextVocabulary,
  type Protocol,
} from '../../../shared/protocol/index.js';

/** Field names reserved for unblinded data (API.md: `arm`, `sequence`, `product`, `period` with them). */
const ARM_FIELD_NAMES = [
  'arm',
  'armCode',
  'armLabel',
  'arms',
  'sequence',
  'sequenceCode',
  'product',
  'productCode',
  'productLabel',
  'products',
  'dynamicRecord',
];

/** What a withheld value is replaced by: the rest of the page or export still works. */
export const REDACTION_MARKER = '[withheld by the blinding guard]';

export interface BlindingVocabulary {
  fields: Set<string>;
  text: NeutralTextVocabulary;
}

export function blindingVocabulary(protocol: Protocol, otherPublic: string[] = []): BlindingVocabulary {
  return { fields: new Set(ARM_FIELD_NAMES), text: neutralTextVocabulary(protocol, otherPublic) };
}

/** The first place in `body` that would unblind, or null. Walks objects, arrays and every string (no length or punctuation shortcut). */
export function findLeak(body: unknown, vocab: BlindingVocabulary, path = '$'): string | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return findArmWord(body, vocab.text) ? `${path} names an arm or product` : null;
  if (Array.isArray(body)) {
    for (let i = 0; i < body.length; i++) {
      const leak = findLeak(body[i], vocab, `${path}[${i}]`);
      if (leak) return leak;
    }
    return null;
  }
  if (typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (vocab.fields.has(key)) return `${path}.${key} is an unblinded field`;
      const leak = findLeak(value, vocab, `${path}.${key}`);
      if (leak) return leak;
    }
  }
  return null;
}

/**
 * `body` with every leak withheld: an unblinded field's value, or a string that names an arm, is
 * replaced by the marker (a whole text body such as a CSV export keeps its other words). Returns
 * the paths withheld (never their content). Leaves `body` itself untouched.
 */
/** redactLeaks against several studies' vocabularies in turn (an instance route answers for every study). */
export function redactLeaksEach(body: unknown, vocabs: BlindingVocabulary[]): { body: unknown; withheld: string[] } {
  let current = body;
  const withheld: string[] = [];
  for (const vocab of vocabs) {
    const r = redactLeaks(current, vocab);
    current = r.body;
    withheld.push(...r.withheld.filter((p) => !withheld.includes(p)));
  }
  return { body: current, withheld };
}

export function redactLeaks(body: unknown, vocab: BlindingVocabulary): { body: unknown; withheld: string[] } {
  const withheld: string[] = [];
  const walk = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      if (!findArmWord(value, vocab.text)) return value;
      withheld.push(path);
      return path === '$' ? redactArmWords(value, vocab.text, REDACTION_MARKER) : REDACTION_MARKER;
    }
    if (Array.isArray(value)) {
      let changed = false;
      const out = value.map((v, i) => {
        const r = walk(v, `${path}[${i}]`);
        if (r !== v) changed = true;
        return r;
      });
      return changed ? out : value;
    }
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        let r: unknown;
        if (vocab.fields.has(key)) {
          withheld.push(`${path}.${key}`);
          r = REDACTION_MARKER;
        } else r = walk(v, `${path}.${key}`);
        if (r !== v) changed = true;
        out[key] = r;
      }
      return changed ? out : value;
    }
    return value;
  };
  return { body: walk(body, '$'), withheld };
}
