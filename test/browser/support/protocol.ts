/** The words a blinded role must never see, taken from the protocol file itself. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './server.js';

interface ProtocolFile {
  arms: Array<{ code: string; label: string; products?: string[] }>;
  products?: Array<{ code: string; label: string }>;
}

export function forbiddenTerms(file = 'protocols/msct-ms.yaml'): string[] {
  const p = parse(readFileSync(join(ROOT, file), 'utf8')) as ProtocolFile;
  const terms = new Set<string>();
  for (const a of p.arms) {
    terms.add(a.code);
    terms.add(a.label);
  }
  for (const pr of p.products ?? []) {
    terms.add(pr.code);
    terms.add(pr.label);
  }
  return [...terms].filter((t) => t.trim().length > 0);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The forbidden terms found in `text`, matched as whole tokens (so the study code "MSCT-MS" is not
 * mistaken for the product "MSC"), plus JSON keys that name an arm, sequence or product.
 */
export function findLeaks(text: string, terms: string[]): string[] {
  const found: string[] = [];
  for (const t of terms) {
    // Codes are matched exactly (case-sensitive); labels (several words) in any case.
    const flags = t.includes(' ') ? 'i' : '';
    if (new RegExp(`(?<![A-Za-z0-9])${escape(t)}(?![A-Za-z0-9])`, flags).test(text)) found.push(t);
  }
  for (const key of ['arm', 'sequence', 'product', 'armCode', 'armLabel', 'products']) {
    if (new RegExp(`"${key}"\\s*:`).test(text)) found.push(`"${key}" field`);
  }
  if (/"arms"\s*:\s*\[\s*[^\]\s]/.test(text)) found.push('"arms" field');
  return found;
}
