/**
 * The second factor's pure parts: TOTP against the RFC 4226 and RFC 6238 test vectors, replay and
 * drift, the sealed secret bound to its user, which roles need a second factor, and what a
 * signature needs (21 CFR 11.200(a)(1)).
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  otpauthUri,
  totpStep,
} from '../../server/src/modules/auth/totp.js';
import { SecondFactorClient } from '../../server/src/modules/auth/second-factor-client.js';
import { SecondFactorKey } from '../../server/src/modules/auth/second-factor-key.js';
import { signatureNeeds } from '../../server/src/modules/auth/signer-verification.js';
import { totpReplayNotice, totpReplayPolicy } from '../../server/src/modules/auth/totp-replay.js';
import { ROLES, requiresSecondFactor } from '../../shared/roles.js';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP (RFC 6238 over RFC 4226)', () => {
  it('[MFA-001] computes the RFC 4226 HOTP vectors and the RFC 6238 SHA-1 TOTP vectors', () => {
    const hotpVectors = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(hotpVectors.map((_, counter) => hotp(RFC_SECRET, counter))).toEqual(hotpVectors);
    const totpVectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of totpVectors) expect(hotp(RFC_SECRET, totpStep(seconds * 1000), 8)).toBe(code);
    expect(base32Encode(RFC_SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SECRET);
    expect(otpauthUri(RFC_SECRET, 'blindrand', 'admin')).toBe(
      'otpauth://totp/blindrand%3Aadmin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=blindrand&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('[MFA-001] accepts one step of drift either way, never a step at or before the last accepted one', () => {
    const at = 1_700_000_000_000;
    const step = totpStep(at);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step), at, null)).toBe(step);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step - 1), at, null)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), at, null)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + 2), at, null)).toBeNull();
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step - 2), at, null)).toBeNull();
    // Replay: the same code once its step was accepted.
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step), at, step)).toBeNull();
    expect(matchTotp(RFC_SECRET, hotp(RFC_SECRET, step + 1), at, step)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, 'abcdef', at, null)).toBeNull();
  });

  it('[MFA-001] the replay switch needs BLINDRAND_TOTP_REPLAY=allow AND NODE_ENV=test, and is always reported', () => {
    expect(totpReplayPolicy({}).allowReplay).toBe(false);
    expect(totpReplayPolicy({ BLINDRAND_TOTP_REPLAY: 'allow' }).allowReplay).toBe(false);
    expect(totpReplayPolicy({ BLINDRAND_TOTP_REPLAY: 'allow', NODE_ENV: 'production' }).allowReplay).toBe(false);
    expect(totpReplayPolicy({ BLINDRAND_TOTP_REPLAY: 'allow', NODE_ENV: 'test' }).allowReplay).toBe(true);
    expect(totpReplayNotice(totpReplayPolicy({}))).toBeNull();
    expect(totpReplayNotice(totpReplayPolicy({ BLINDRAND_TOTP_REPLAY: 'allow', NODE_ENV: 'test' }))).toMatch(
      /never use this instance for a trial/,
    );
  });
});

describe('secret at rest', () => {
  it('[MFA-002] a sealed secret opens only with the key file and only for its own user; recovery hashes are keyed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blindrand-mfa-'));
    try {
      const path = SecondFactorKey.pathFor(join(dir, 'audit-signing.key'));
      const key = SecondFactorKey.loadOrCreate(path);
      const sealed = key.seal(RFC_SECRET, 'user-1');
      expect(sealed).not.toContain(base32Encode(RFC_SECRET));
      expect(sealed.includes(RFC_SECRET.toString('hex'))).toBe(false);
      expect(key.open(sealed, 'user-1')).toEqual(RFC_SECRET);
      expect(key.open(sealed, 'user-2')).toBeNull();
      expect(SecondFactorKey.loadOrCreate(path).open(sealed, 'user-1')).toEqual(RFC_SECRET);
      const other = SecondFactorKey.loadOrCreate(join(dir, 'elsewhere', 'second-factor.key'));
      expect(other.open(sealed, 'user-1')).toBeNull();
      expect(key.hashRecoveryCode('ABCDE-fghij', 'user-1')).toBe(key.hashRecoveryCode('abcdefghij', 'user-1'));
      expect(other.hashRecoveryCode('abcdefghij', 'user-1')).not.toBe(key.hashRecoveryCode('abcdefghij', 'user-1'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('who needs a second factor, and what a signature needs', () => {
  it('[MFA-003] every role that can sign or unblind needs a second factor; the auditor does not', () => {
    expect(ROLES.filter((r) => !requiresSecondFactor(r))).toEqual(['auditor']);
  });

  it('[MFA-004] the first signature of a session needs password + code, later ones the password; a co-signer always both', () => {
    const enrolled = { enrolled: true, required: true };
    expect(signatureNeeds({ ...enrolled, fullSignatureInSession: false, coSigner: false }).code).toBe(true);
    expect(signatureNeeds({ ...enrolled, fullSignatureInSession: true, coSigner: false }).code).toBe(false);
    expect(signatureNeeds({ ...enrolled, fullSignatureInSession: true, coSigner: true }).code).toBe(true);
    // A role that needs a second factor and has none cannot sign (the code it must give does not exist).
    expect(
      signatureNeeds({ enrolled: false, required: true, fullSignatureInSession: true, coSigner: false }).code,
    ).toBe(true);
    expect(
      signatureNeeds({ enrolled: false, required: false, fullSignatureInSession: false, coSigner: false }).code,
    ).toBe(false);
  });
});

describe('the second-factor client (qualification run, test suites)', () => {
  const signedIn = () => {
    const client = new SecondFactorClient(() => RFC_SECRET);
    client.signedIn('tok', 'investigator1');
    return client;
  };
  const me = async () => ({ status: 200, body: { secondFactor: { signatureNeedsCode: true } } });
  const signed = { signature: { password: 'pw' } };
  /** The promise's value, or 'still waiting' after 2 s (the timer is cleared either way). */
  const within2s = async <T>(promise: Promise<T>): Promise<T | 'still waiting'> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'still waiting'>((r) => (timer = setTimeout(() => r('still waiting'), 2_000)));
    try {
      return await Promise.race([promise, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  it('[MFA-004] one code serves a session: concurrent signatures wait for the first, then go without a code', async () => {
    const client = signedIn();
    const seen: unknown[] = [];
    const send = async (sent: any) => (seen.push(sent.signature.totp), { status: 200 });
    await Promise.all([1, 2, 3].map(() => client.exchange(signed, 'tok', me, send)));
    expect(seen.filter((code) => typeof code === 'string')).toHaveLength(1);
    expect(seen[0]).toMatch(/^\d{6}$/);
  });

  it('[MFA-004] a first signature whose answer is lost releases the session unsigned: the next one carries a code', async () => {
    const client = signedIn();
    const lost = client.exchange(signed, 'tok', me, async () => {
      throw new Error('the connection closed before the answer ended');
    });
    await expect(lost).rejects.toThrow('connection closed');
    // Before the fix the session stayed held by the lost request and this waited forever (the crash test hung).
    const sent: any[] = [];
    const next = client.exchange(signed, 'tok', me, async (body) => (sent.push(body), { status: 201 }));
    const outcome = await within2s(next);
    expect(outcome).toEqual({ status: 201 });
    expect(sent[0].signature.totp).toMatch(/^\d{6}$/);
  });

  it('[MFA-004] a failed `me` lookup also releases the session', async () => {
    const client = signedIn();
    const broken = async (): Promise<never> => {
      throw new Error('server gone');
    };
    await expect(client.exchange(signed, 'tok', broken, async () => ({ status: 200 }))).rejects.toThrow('server gone');
    const outcome = await within2s(client.exchange(signed, 'tok', me, async () => ({ status: 200 })));
    expect(outcome).toEqual({ status: 200 });
  });
});
