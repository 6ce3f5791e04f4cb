/**
 * Blinded treatment codes. Drawn from their own stream, never from the arm's draw, in one format
 * for every arm: a code says nothing about the product behind it.
 */
import type { TreatmentCodeFormat } from '../protocol/types.js';
import type { RandomStream } from './streams.js';

/** One code: prefix + `length` characters drawn uniformly from the alphabet. */
export function drawTreatmentCode(stream: RandomStream, format: TreatmentCodeFormat): string {
  let code = format.prefix;
  for (let i = 0; i < format.length; i++) code += format.alphabet[Math.floor(stream.double() * format.alphabet.length)];
  return code;
}

/** A code not yet in `used` (added to it). Collisions are rare (31⁶ ≈ 8.9e8 codes) and resolved by drawing on. */
export function drawUniqueTreatmentCode(stream: RandomStream, format: TreatmentCodeFormat, used: Set<string>): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const code = drawTreatmentCode(stream, format);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
  throw new Error('treatment codes: the code space is exhausted; use a longer code');
}

/** Whether a code has the protocol's format (used when importing a list). */
export function matchesCodeFormat(code: string, format: TreatmentCodeFormat): boolean {
  if (!code.startsWith(format.prefix) || code.length !== format.prefix.length + format.length) return false;
  for (const ch of code.slice(format.prefix.length)) if (!format.alphabet.includes(ch)) return false;
  return true;
}
