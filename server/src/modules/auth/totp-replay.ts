/**
 * Whether a TOTP code may be accepted twice. Never in production (RFC 6238 §5.2: the verifier
 * remembers the last accepted step). The test suites sign in many times within one 30-second step,
 * so they may relax it with BLINDRAND_TOTP_REPLAY=allow, honoured ONLY when NODE_ENV=test as well;
 * whenever the variable is set the start-up log says so and the qualification report fails
 * IQ-VERSION with it (installation-checks.ts), like BLINDRAND_ARGON2_PROFILE (argon2-profile.ts).
 */

export interface TotpReplayPolicy {
  allowReplay: boolean;
  /** BLINDRAND_TOTP_REPLAY as set (null when unset). */
  requested: string | null;
}

export function totpReplayPolicy(env: NodeJS.ProcessEnv = process.env): TotpReplayPolicy {
  const requested = env.BLINDRAND_TOTP_REPLAY ?? null;
  return { allowReplay: requested === 'allow' && env.NODE_ENV === 'test', requested };
}

/** One line for the start-up log and the IQ report when BLINDRAND_TOTP_REPLAY is set; null when it is not. */
export function totpReplayNotice(policy: TotpReplayPolicy = totpReplayPolicy()): string | null {
  if (policy.requested === null) return null;
  return policy.allowReplay
    ? 'BLINDRAND_TOTP_REPLAY=allow with NODE_ENV=test: a second-factor code may be used more than once: never use this instance for a trial'
    : `BLINDRAND_TOTP_REPLAY=${policy.requested}: a second-factor code is accepted once (only "allow" with NODE_ENV=test relaxes it)`;
}
