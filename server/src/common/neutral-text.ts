/**
 * The write-time side of the one neutral-text check (shared/protocol/neutral-text.ts): free text
 * that a blinded person can read — correction reasons and values, lock and unblinding reasons and
 * comments, decision comments, signature meanings, display names, usernames, site names,
 * checkpoint reasons, and any field added later — is refused with `400 BLINDING_RISK` naming the
 * field and the word, before anything is written.
 *
 * Deny by default: every string in a write request's body is checked, except passwords, tokens
 * and secrets (never shown) and the fields a handler declares with @NeutralTextExempt because only unblinded people
 * ever read them (a list import's CSV, a pharmacy lot number) or because they are not stored.
 */
import { SetMetadata } from '@nestjs/common';
import { findArmWord } from '../../../shared/protocol/index.js';
import type { BlindingVocabulary } from './blinding.js';
import { DomainError } from './domain-error.js';

export const NEUTRAL_TEXT_EXEMPT_KEY = 'neutral-text-exempt';

/** Field names (top-level or nested, by name) exempt from the check on this handler, or '*' for the whole body. */
export const NeutralTextExempt = (fields: string[] | '*', _why: string) => SetMetadata(NEUTRAL_TEXT_EXEMPT_KEY, fields);

/** Never shown to anyone, so not checked: passwords (any word is allowed in one, and none is echoed), tokens, secrets. */
const NEVER_SHOWN = /(password|token|secret)$/i;

/** The first string in `body` that names an arm or product: its field path and the word. */
function findArmWordInBody(
  body: unknown,
  vocab: BlindingVocabulary,
  exempt: ReadonlySet<string> = new Set(),
  path = '',
): { field: string; word: string } | null {
  if (typeof body === 'string') {
    const hit = findArmWord(body, vocab.text);
    return hit ? { field: path || 'body', word: hit.word } : null;
  }
  if (Array.isArray(body)) {
    for (let i = 0; i < body.length; i++) {
      const found = findArmWordInBody(body[i], vocab, exempt, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (body !== null && typeof body === 'object') {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (NEVER_SHOWN.test(key) || exempt.has(key)) continue;
      const found = findArmWordInBody(value, vocab, exempt, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Throws 400 BLINDING_RISK when any checked string of `body` names an arm or product. */
export function requireNeutralText(
  body: unknown,
  vocab: BlindingVocabulary | null,
  exempt: ReadonlySet<string> = new Set(),
): void {
  if (!vocab) return;
  const found = findArmWordInBody(body, vocab, exempt);
  if (!found) return;
  throw new DomainError(
    'BLINDING_RISK',
    `The field "${found.field}" contains "${found.word}", which names an arm or product of this trial; blinded people read this text. Reword it. Nothing was saved.`,
    { field: found.field, word: found.word },
  );
}
