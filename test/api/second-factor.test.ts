/**
 * The second factor of local accounts (issue 16): enrolment (the QR code decodes to the otpauth URI),
 * sign-in with a code or a recovery code, wrong codes toward the lockout, the administrator's reset,
 * a signing role held to enrolment, the first-signature rule (21 CFR 11.200(a)(1)) and the co-signer's
 * code, and — on a server without the test-only replay switch — a replayed code refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as jsqrModule from 'jsqr';
import { inflateSync } from 'node:zlib';
import { base32Decode, hotp, totpCode, totpStep } from '../../server/src/modules/auth/totp.js';
import { newParticipant, randomize } from '../support/factories.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, startTestApp, type TestApp } from '../support/index.js';
import { openRawDb } from '../support/raw-db.js';
import { createAccount, NO_SMTP } from './fixtures/accounts.js';

// jsqr is CommonJS with a default export in its types: take the function whichever way Node hands it over.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR =
  ((jsqrModule as unknown as { default?: { default?: Decode } | Decode }).default as { default?: Decode })?.default ??
  (jsqrModule as unknown as { default: Decode }).default;

const demoSecret = base32Decode(DEMO_TOTP_SECRET);
const demoCode = () => totpCode(demoSecret, Date.now());
const login = (t: TestApp, username: string, extra: Record<string, string> = {}) =>
  t.api.post('/api/auth/login', { username, password: DEMO_PASSWORD, ...extra });

/** Decodes the PNG of a data URL into RGBA pixels (8-bit RGBA or RGB, non-interlaced: what `qrcode` writes). */
function pngPixels(dataUrl: string): { data: Uint8ClampedArray; width: number; height: number } {
  const png = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      channels = body[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = out[i * channels + k];
    rgba[i * 4 + 3] = channels === 4 ? out[i * channels + 3] : 255;
  }
  return { data: rgba, width, height };
}

describe('second factor (TOTP) of local accounts', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp(NO_SMTP);
    admin = await t.api.login('admin');
  });
  afterAll(async () => t.close());

  it('[MFA-003][MFA-002] a signing role without a second factor can only enrol; the QR code decodes to the otpauth URI; a code activates it; recovery codes are shown once and stored hashed', async () => {
    const created = await createAccount(t, admin, { username: 'inv-mfa', role: 'investigator', siteCodes: ['A'] });
    // createAccount's sign-in enrolled through the test client; an administrator resets it to start over.
    expect(
      (await t.api.post(`/api/users/${created.id}/second-factor/reset`, { reason: 'test: start over' }, admin)).status,
    ).toBe(204);
    const first = await login(t, 'inv-mfa');
    expect(first.status).toBe(200);
    expect(first.body.user.secondFactor).toEqual({
      required: true,
      enrolled: false,
      signatureNeedsCode: false,
      recoveryCodesRemaining: 0,
    });
    const token = first.body.accessToken;
    const blocked = await t.api.get('/api/participants', token);
    expect([blocked.status, blocked.body.code]).toEqual([403, 'MFA_ENROLMENT_REQUIRED']);
    expect(blocked.body.message).toMatch(/second factor/);
    expect((await t.api.get('/api/auth/me', token)).status).toBe(200);

    const enrolment = await t.api.post('/api/auth/second-factor/enrol', {}, token);
    expect(enrolment.status).toBe(200);
    const { secret, otpauthUri, qrCode } = enrolment.body;
    expect(otpauthUri).toBe(
      `otpauth://totp/blindrand%3Ainv-mfa?secret=${secret}&issuer=blindrand&algorithm=SHA1&digits=6&period=30`,
    );
    const image = pngPixels(qrCode);
    expect(jsQR(image.data, image.width, image.height)?.data).toBe(otpauthUri);
    // Not active until confirmed: a wrong code is refused and nothing changes.
    expect((await t.api.post('/api/auth/second-factor/confirm', { code: '000000' }, token)).status).toBe(400);
    const key = base32Decode(secret);
    const confirmed = await t.api.post('/api/auth/second-factor/confirm', { code: totpCode(key, Date.now()) }, token);
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Now the session is a full one; the secret is not shown again.
    expect((await t.api.get('/api/participants', token)).status).toBe(200);
    expect((await t.api.post('/api/auth/second-factor/enrol', {}, token)).status).toBe(409);
    // In the database: neither the secret nor any recovery code in clear, in any table.
    const raw = await openRawDb(t.config);
    try {
      const row = await raw.all('SELECT secret_sealed FROM second_factors WHERE user_id = ?', [created.id]);
      expect(String(row[0].secret_sealed)).not.toContain(secret);
      const hashes = await raw.all('SELECT code_hash FROM recovery_codes WHERE user_id = ?', [created.id]);
      expect(hashes).toHaveLength(10);
      const audit = JSON.stringify(await raw.all('SELECT * FROM audit_log'));
      for (const c of [secret, ...codes]) expect(audit).not.toContain(c);
    } finally {
      await raw.close();
    }

    // [MFA-003] a recovery code signs in once, the person is told how many remain; the second time it is refused.
    const recovered = await login(t, 'inv-mfa', { totp: codes[0].toUpperCase() });
    expect(recovered.status).toBe(200);
    expect(recovered.body.recoveryCodesRemaining).toBe(9);
    const again = await login(t, 'inv-mfa', { totp: codes[0] });
    expect([again.status, again.body.code, again.body.message]).toEqual([
      401,
      'UNAUTHENTICATED',
      'The username, password or code is not correct.',
    ]);
  });

  it('[MFA-003] an enrolled account signs in with password and code: without the code it is asked for it (nothing counted), a wrong code is refused like a wrong password', async () => {
    const asked = await login(t, 'monitor');
    expect([asked.status, asked.body.details]).toEqual([401, { secondFactor: 'required' }]);
    const wrong = await login(t, 'monitor', { totp: demoCode() === '123456' ? '654321' : '123456' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'The username, password or code is not correct.',
      details: { attemptsRemaining: 4 },
    });
    const ok = await login(t, 'monitor', { totp: demoCode() });
    expect(ok.status).toBe(200);
    expect(ok.body.user.secondFactor).toMatchObject({ required: true, enrolled: true, signatureNeedsCode: true });
  });

  it('[MFA-005] repeated wrong codes lock the account like wrong passwords, audited without the code; an administrator unlocks it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(t, 'pharmacist', { totp: '99999' + i })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await login(t, 'pharmacist', { totp: demoCode() })).status).toBe(429);
    const entries = (await t.api.get('/api/admin/audit?action=auth.login_failed', admin)).body.entries;
    const mine = entries.filter((e: any) => e.username === 'pharmacist' || e.entityId);
    expect(JSON.stringify(mine)).not.toMatch(/99999\d/);
    expect(mine.some((e: any) => e.details?.factor === 'second')).toBe(true);
    const users = (await t.api.get('/api/users', admin)).body as Array<{
      id: string;
      username: string;
      locked: boolean;
    }>;
    const pharmacist = users.find((u) => u.username === 'pharmacist')!;
    expect(pharmacist.locked).toBe(true);
    expect(
      (await t.api.post(`/api/users/${pharmacist.id}/unlock`, { reason: 'phone clock fixed' }, admin)).status,
    ).toBe(200);
    expect((await login(t, 'pharmacist', { totp: demoCode() })).status).toBe(200);
  });

  it("[MFA-003] an administrator resets someone else's second factor with a reason (audited, sessions ended), never their own", async () => {
    const users = (await t.api.get('/api/users', admin)).body as Array<{ id: string; username: string }>;
    const self = users.find((u) => u.username === 'admin')!;
    const other = users.find((u) => u.username === 'investigator2')!;
    const token = await t.api.login('investigator2');
    const own = await t.api.post(`/api/users/${self.id}/second-factor/reset`, { reason: 'lost phone' }, admin);
    expect([own.status, own.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.api.post(`/api/users/${other.id}/second-factor/reset`, {}, admin)).status).toBe(400);
    expect(
      (await t.api.post(`/api/users/${other.id}/second-factor/reset`, { reason: 'lost phone' }, token)).status,
    ).toBe(403);
    expect(
      (await t.api.post(`/api/users/${other.id}/second-factor/reset`, { reason: 'lost phone' }, admin)).status,
    ).toBe(204);
    expect((await t.api.get('/api/auth/me', token)).status).toBe(401);
    const entries = (await t.api.get('/api/admin/audit?action=user.second_factor_reset', admin)).body.entries;
    const entry = entries.find((e: { entityId: string }) => e.entityId === other.id);
    expect(entry).toMatchObject({ entityId: other.id, reason: 'lost phone' });
    // What it was, what it is: an administrator's reset, not the lost-key reset of every factor.
    expect(entry.details).toEqual({ changes: { secondFactor: { old: 'enrolled', new: 'none' } } });
    // Next sign-in: password only, and the session can only enrol.
    const next = await login(t, 'investigator2');
    expect(next.body.user.secondFactor).toMatchObject({ required: true, enrolled: false });
    expect((await t.api.get('/api/participants', next.body.accessToken)).body.code).toBe('MFA_ENROLMENT_REQUIRED');
  });

  it('[MFA-004] the first signature of a session needs the code, the next one the password only; a wrong code counts toward the lockout', async () => {
    const res = await login(t, 'investigator1', { totp: demoCode() });
    const token = res.body.accessToken;
    const p1 = await newParticipant(t.api, token);
    const noCode = await t.api.post(
      `/api/participants/${p1}/randomize`,
      { signature: { password: DEMO_PASSWORD, totp: undefined } },
      token,
      {
        'idempotency-key': 'mfa-first-1',
      },
    );
    expect([noCode.status, noCode.body.code, noCode.body.details?.codeRequired]).toEqual([
      401,
      'SIGNATURE_INVALID',
      true,
    ]);
    const wrongCode = await t.api.post(
      `/api/participants/${p1}/randomize`,
      { signature: { password: DEMO_PASSWORD, totp: '000001' } },
      token,
      {
        'idempotency-key': 'mfa-first-2',
      },
    );
    expect([wrongCode.status, wrongCode.body.code, wrongCode.body.details?.attemptsRemaining]).toEqual([
      401,
      'SIGNATURE_INVALID',
      4,
    ]);
    const full = await t.api.post(
      `/api/participants/${p1}/randomize`,
      { signature: { password: DEMO_PASSWORD, totp: demoCode() } },
      token,
      {
        'idempotency-key': 'mfa-first-3',
      },
    );
    expect(full.status).toBe(201);
    expect((await t.api.get('/api/auth/me', token)).body.secondFactor.signatureNeedsCode).toBe(false);
    const p2 = await newParticipant(t.api, token);
    const passwordOnly = await t.api.post(
      `/api/participants/${p2}/randomize`,
      { signature: { password: DEMO_PASSWORD, totp: undefined } },
      token,
      {
        'idempotency-key': 'mfa-second-1',
      },
    );
    expect(passwordOnly.status).toBe(201);
    // A new session starts over.
    const other = await t.api.login('investigator1');
    expect((await t.api.get('/api/auth/me', other)).body.secondFactor.signatureNeedsCode).toBe(true);
    const p3 = await newParticipant(t.api, other);
    expect((await randomize(t.api, other, p3, 'mfa-new-session')).status).toBe(201); // the test client adds the code
  });

  it('[MFA-004] a co-signer always gives password and code', async () => {
    const stat = await t.api.login('statistician');
    const lock = await t.api.post(
      '/api/study/lock',
      { signature: { password: DEMO_PASSWORD }, reason: 'MFA test' },
      stat,
    );
    expect(lock.status).toBe(200);
    const noCode = await t.api.post(
      '/api/study/unblind',
      {
        signature: { password: DEMO_PASSWORD },
        secondSignature: { username: 'statistician2', password: DEMO_PASSWORD, totp: undefined },
      },
      stat,
    );
    expect([noCode.status, noCode.body.code, noCode.body.details?.signer]).toEqual([
      401,
      'SIGNATURE_INVALID',
      'cosigner',
    ]);
    const ok = await t.api.post(
      '/api/study/unblind',
      {
        signature: { password: DEMO_PASSWORD },
        secondSignature: { username: 'statistician2', password: DEMO_PASSWORD, totp: demoCode() },
      },
      stat,
    );
    expect(ok.status).toBe(200);
  });
});

describe('second factor without the test-only replay switch', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp({ BLINDRAND_TOTP_REPLAY: 'off' });
  });
  afterAll(async () => s.close());

  it("[MFA-001] a code already accepted is refused the second time; the next step's code is accepted", async () => {
    const step = totpStep(Date.now());
    const code = hotp(demoSecret, step);
    expect((await login(s, 'randstat', { totp: code })).status).toBe(200);
    const replay = await login(s, 'randstat', { totp: code });
    expect([replay.status, replay.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await login(s, 'randstat', { totp: hotp(demoSecret, step + 1) })).status).toBe(200);
  });
});
