/**
 * What must never reach a blinded viewer: field names that carry an allocation, and the protocol's
 * arm (sequence) and product codes and labels. Used by the blinding interceptor (fail closed) and
 * by the leak-crawl tests.
 */
import type { Protocol } from '../../../shared/protocol/index.js';

/** Field names reserved for unblinded data (API.md: `arm`, `sequence`, `product`, `period` with them). */
export const ARM_FIELD_NAMES = ['arm', 'armCode', 'armLabel', 'arms', 'sequence', 'sequenceCode', 'product', 'productCode', 'productLabel', 'products', 'dynamicRecord'];

export interface BlindingVocabulary {
  fields: Set<string>;
  /** Exact values (codes and labels) that reveal an allocation. */
  values: Set<string>;
  /** The same values as whole-token patterns for free text and CSV. */
  patterns: RegExp[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function blindingVocabulary(protocol: Protocol): BlindingVocabulary {
  const values = new Set<string>();
  for (const arm of protocol.arms) {
    values.add(arm.code);
    values.add(arm.label);
  }
  for (const product of protocol.products) {
    values.add(product.code);
    values.add(product.label);
  }
  const patterns = [...values].map((v) => new RegExp(`(?<![A-Za-z0-9_])${escape(v)}(?![A-Za-z0-9_])`));
  return { fields: new Set(ARM_FIELD_NAMES), values, patterns };
}

/** The first place in `body` that would unblind, or null. Walks objects, arrays and strings. */
export function findLeak(body: unknown, vocab: BlindingVocabulary, path = '$'): string | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') {
    if (vocab.values.has(body)) return `${path} = an arm or product value`;
    if (body.length > 40 || body.includes(',') || body.includes('\n')) {
      for (const p of vocab.patterns) if (p.test(body)) return `${path} contains an arm or product value`;
    }
    return null;
  }
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
