import { DEMO_TOTP_SECRET, DEMO_USERS } from '../../server/src/modules/demo/demo-accounts.js';
import { SecondFactorClient } from '../../server/src/modules/auth/second-factor-client.js';
import { base32Decode, totpCode } from '../../server/src/modules/auth/totp.js';
import { requiresSecondFactor } from '../../shared/roles.js';

/**
 * What every test server shares: the demo password, the database the tier runs on, and the
 * environment a test server starts with (the test-only argon2 cost, no sign-in throttle).
 */

/** The demo users' password on every test server (API, reliability and browser tiers). */
export const DEMO_PASSWORD = 'demo-password-1';

/** The demo accounts' second factor (demo-seed.ts): every demo account whose role needs one has this secret. */
export { DEMO_TOTP_SECRET };
const demoSecret = base32Decode(DEMO_TOTP_SECRET);
const demoEnrolled = new Set(DEMO_USERS.filter((u) => requiresSecondFactor(u.role)).map((u) => u.username));

/** A second-factor client that knows the demo accounts' secret (server/src/modules/auth/second-factor-client.ts). */
export function testSecondFactor(): SecondFactorClient {
  return new SecondFactorClient((username) => (demoEnrolled.has(username) ? demoSecret : null));
}

/** The code an authenticator with the demo secret shows now (`offsetMs`: a server clock moved forward). */
export const demoTotp = (offsetMs = 0) => totpCode(demoSecret, Date.now() + offsetMs);

/** DB=postgres runs the API tier on the throwaway PostgreSQL cluster (PG_ADMIN_URL) instead of SQLite. */
export const usingPostgres = process.env.DB === 'postgres';

/**
 * `test` hashes passwords at a token cost (server/src/modules/auth/passwords.ts); `production` keeps the
 * real one, for the tests that prove what is stored or compare the time of argon2 verifications.
 */
export type Argon2Cost = 'test' | 'production';

/**
 * The variables of the test-only switches: the argon2 cost (it needs both) and a second-factor code
 * accepted more than once (totp-replay.ts), at either cost: a test that needs a code refused when
 * replayed (test/api/second-factor.test.ts) or a qualified installation sets BLINDRAND_TOTP_REPLAY=off.
 */
export function argon2Env(cost: Argon2Cost = 'test'): Record<string, string> {
  const replay = { NODE_ENV: 'test', BLINDRAND_TOTP_REPLAY: 'allow' };
  return cost === 'test' ? { ...replay, BLINDRAND_ARGON2_PROFILE: 'test' } : replay;
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
