/**
 * Which argon2 cost new password hashes get. The test suites hash at a token cost
 * (BLINDRAND_ARGON2_PROFILE=test), honoured ONLY when NODE_ENV=test as well: one variable set by
 * mistake in production changes nothing, and whenever the variable is set at all the start-up log
 * says so and the qualification report fails IQ-VERSION with it (installation-checks.ts).
 * Kept apart from passwords.ts so that reading it does not load argon2's native module.
 */

export interface Argon2Profile {
  /** The parameters new hashes get. */
  name: 'production' | 'test';
  /** BLINDRAND_ARGON2_PROFILE as set (null when unset), for the start-up log and the IQ report. */
  requested: string | null;
}

/** The profile an environment asks for: the test cost needs BLINDRAND_ARGON2_PROFILE=test AND NODE_ENV=test. */
export function argon2Profile(env: NodeJS.ProcessEnv = process.env): Argon2Profile {
  const requested = env.BLINDRAND_ARGON2_PROFILE ?? null;
  return { name: requested === 'test' && env.NODE_ENV === 'test' ? 'test' : 'production', requested };
}

/** One line for the start-up log and the IQ report when BLINDRAND_ARGON2_PROFILE is set; null when it is not. */
export function argon2ProfileNotice(profile: Argon2Profile = argon2Profile()): string | null {
  if (profile.requested === null) return null;
  return profile.name === 'test'
    ? 'BLINDRAND_ARGON2_PROFILE=test with NODE_ENV=test: new password hashes use the TEST cost (m=1 MiB, t=1): never use this instance for a trial'
    : `BLINDRAND_ARGON2_PROFILE=${profile.requested} is set but ignored (it needs NODE_ENV=test): password hashes use the production cost (m=19 MiB, t=2, p=1)`;
}
