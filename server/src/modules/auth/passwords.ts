/**
 * Password hashing: argon2id at the OWASP minimum (m = 19 MiB, t = 2, p = 1).
 * A dummy hash is verified for unknown users so both answers take about the same time.
 * The test suites may hash at a token cost instead (argon2-profile.ts). Verification reads the
 * parameters from the stored hash, so each hash is checked at its own cost.
 */
import argon2 from 'argon2';
import { argon2Profile } from './argon2-profile.js';

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
/** Test-only (argon2-profile.ts): some 40 times cheaper, so a suite's sign-ins and signatures do not dominate its time. */
const TEST_ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

const hashOptions = () => (argon2Profile().name === 'test' ? TEST_ARGON2_OPTIONS : ARGON2_OPTIONS);

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, hashOptions());
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/** Spends the same work as a real verification, for a user that does not exist. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('blindrand-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
  return false;
}

/** A password policy a person can act on. */
export function passwordProblem(password: string): string | null {
  if (typeof password !== 'string' || password.length < 8) return 'The password must have at least 8 characters.';
  if (password.length > 256) return 'The password must have at most 256 characters.';
  return null;
}
