/**
 * The test-only argon2 cost (server/src/modules/auth/argon2-profile.ts) needs two variables at once,
 * so production cannot run weak by one mistaken setting; a set variable is always reported.
 */
import { describe, expect, it } from '@jest/globals';
import { argon2Profile, argon2ProfileNotice } from '../../server/src/modules/auth/argon2-profile.js';

describe('test-only argon2 cost', () => {
  it('is used only with BLINDRAND_ARGON2_PROFILE=test AND NODE_ENV=test', () => {
    expect(argon2Profile({}).name).toBe('production');
    expect(argon2Profile({ NODE_ENV: 'test' }).name).toBe('production');
    expect(argon2Profile({ BLINDRAND_ARGON2_PROFILE: 'test' }).name).toBe('production');
    expect(argon2Profile({ BLINDRAND_ARGON2_PROFILE: 'test', NODE_ENV: 'production' }).name).toBe('production');
    expect(argon2Profile({ BLINDRAND_ARGON2_PROFILE: 'fast', NODE_ENV: 'test' }).name).toBe('production');
    expect(argon2Profile({ BLINDRAND_ARGON2_PROFILE: 'test', NODE_ENV: 'test' }).name).toBe('test');
  });

  it('is announced whenever the variable is set, honoured or not', () => {
    expect(argon2ProfileNotice(argon2Profile({ NODE_ENV: 'test' }))).toBeNull();
    expect(argon2ProfileNotice(argon2Profile({ BLINDRAND_ARGON2_PROFILE: 'test', NODE_ENV: 'test' }))).toMatch(
      /TEST cost .*never use this instance for a trial/,
    );
    expect(argon2ProfileNotice(argon2Profile({ BLINDRAND_ARGON2_PROFILE: 'test' }))).toMatch(
      /ignored .*production cost \(m=19 MiB, t=2, p=1\)/,
    );
  });
});
