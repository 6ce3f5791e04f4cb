/**
 * What every test server shares: the demo password, the database the tier runs on, and the
 * environment a test server starts with (the test-only argon2 cost, no sign-in throttle).
 */

/** The demo users' password on every test server (API, reliability and browser tiers). */
export const DEMO_PASSWORD = 'demo-password-1';

/** DB=postgres runs the API tier on the throwaway PostgreSQL cluster (PG_ADMIN_URL) instead of SQLite. */
export const usingPostgres = process.env.DB === 'postgres';

/**
 * `test` hashes passwords at a token cost (server/src/modules/auth/passwords.ts); `production` keeps the
 * real one, for the tests that prove what is stored or compare the time of argon2 verifications.
 */
export type Argon2Cost = 'test' | 'production';

/** The variables that select the test-only argon2 cost (it needs both); none for production cost. */
export function argon2Env(cost: Argon2Cost = 'test'): Record<string, string> {
  return cost === 'test' ? { NODE_ENV: 'test', BLINDRAND_ARGON2_PROFILE: 'test' } : {};
}

/** The environment a test server starts from (callers add the database and their own settings). */
export function testServerEnv(cost: Argon2Cost = 'test'): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DEMO_PASSWORD,
    AUTH_THROTTLE_PER_MINUTE: '100000',
    ...argon2Env(cost),
  };
}
