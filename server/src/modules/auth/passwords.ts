/**
 * Password hashing: argon2id at the OWASP minimum (m = 19 MiB, t = 2, p = 1).
 * A dummy hash is verified for unknown users so both answers take about the same time.
 */
import argon2 from 'argon2';

export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
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
