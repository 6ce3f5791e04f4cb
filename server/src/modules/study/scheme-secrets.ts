/**
 * The secrets of a production scheme (issue 11, "secret seeds"). The seed is never a value a
 * person chose: the server draws 256 bits from the operating system's CSPRNG and a person's
 * phrase, if any, is only mixed in. Every fingerprint and seed commitment is salted with another
 * 256 random bits, so nothing published can be tested against a guess of the seed or the arms.
 * Seed and salt stay in the schemes table and leave it only at end-of-study unblinding.
 */
import { randomBytes } from 'node:crypto';
import { mixSeed } from '../../../../shared/engine/index.js';
import { DomainError } from '../../common/domain-error.js';

/** 256 bits from the CSPRNG as 64 hex digits. */
export function drawSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The master seed for a new scheme: random bits, mixed with the phrase when one is given. */
export function productionSeed(input: { seedPhrase?: string; seed?: string }): { seed: string; phraseMixed: boolean } {
  if (input.seedPhrase !== undefined && input.seed !== undefined) {
    throw new DomainError('VALIDATION_FAILED', 'Give either seedPhrase or its former name seed, not both.');
  }
  const phrase = input.seedPhrase ?? input.seed;
  return { seed: mixSeed(drawSecret(), phrase), phraseMixed: phrase !== undefined };
}
