/**
 * The second factor in the console (issue 16), as a person does it on a phone (375 px) in French:
 * set it up (the QR code on the page decodes to the otpauth URI of the key shown), keep the recovery
 * codes, sign in again with a code (numeric keyboard, one-time-code autofill), and sign: the
 * dialog asks the code for the first signature of the session only.
 */
import { describe, expect, jest, test } from '@jest/globals';
import * as jsqrModule from 'jsqr';
import { base32Decode, totpCode } from '../../server/src/modules/auth/totp.js';
import { eligiblePatient } from './support/api.js';
import { screenshot } from './support/browser.js';
import { browserSuite } from './support/suite.js';

jest.setTimeout(120_000);

// jsqr is CommonJS with a default export in its types: take the function whichever way Node hands it over.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR =
  ((jsqrModule as unknown as { default?: { default?: Decode } | Decode }).default as { default?: Decode })?.default ??
  (jsqrModule as unknown as { default: Decode }).default;

const PHONE = { width: 375, height: 812 };
const suite = browserSuite();

describe('second factor in the console', () => {
  test('[MFA-002][MFA-003][MFA-004] set up on a phone in French, sign in with a code, first signature asks the code', async () => {
    // investigator2 speaks French, then loses their phone: an administrator resets the second factor.
    await suite.api.call('investigator2', 'PATCH', '/auth/me', { locale: 'fr' });
    const patient = await eligiblePatient(suite.api, 'investigator2', 'B', 'B-MFA-001');
    const users = await suite.api.call<Array<{ id: string; username: string }>>('admin', 'GET', '/users');
    const id = users.find((u) => u.username === 'investigator2')!.id;
    await suite.api.call('admin', 'POST', `/users/${id}/second-factor/reset`, { reason: 'téléphone perdu' });

    const page = suite.track(await suite.browser.context.newPage());
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.server.baseUrl}/sign-in`);
    await page.getByLabel('Username').fill('investigator2');
    await page.getByLabel('Password').fill(suite.server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Held to the set-up page, in their language.
    await page.waitForURL((u) => u.pathname === '/second-factor');
    await page.getByRole('heading', { name: 'Configurer votre second facteur' }).waitFor();
    await screenshot(page, 'second-factor-start-phone-fr');
    await page.getByRole('button', { name: 'Afficher mon QR code' }).click();
    const secret = (await page.getByTestId('enrol-secret').textContent())!.trim();
    // The QR code on the page, read back from its pixels, is the otpauth URI of that key.
    const pixels = await page.getByTestId('enrol-qr').evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      return {
        data: Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data),
        width: canvas.width,
        height: canvas.height,
      };
    });
    const decoded = jsQR(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height);
    expect(decoded?.data).toBe(
      `otpauth://totp/blindrand%3Ainvestigator2?secret=${secret}&issuer=blindrand&algorithm=SHA1&digits=6&period=30`,
    );
    const code = page.getByLabel("Code de votre application d'authentification");
    await expect(code.getAttribute('inputmode')).resolves.toBe('numeric');
    await expect(code.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await screenshot(page, 'second-factor-qr-phone-fr');
    const key = base32Decode(secret);
    await code.fill(totpCode(key, Date.now()));
    await page.getByRole('button', { name: 'Activer' }).click();
    const recovery = page.getByTestId('recovery-codes');
    await recovery.waitFor();
    await expect(recovery.locator('li').count()).resolves.toBe(10);
    await screenshot(page, 'second-factor-recovery-phone-fr');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.waitForURL((u) => u.pathname !== '/second-factor');
    await page.getByTestId('user-name').waitFor();

    // A new session: password, then the code the form asks for.
    const again = suite.track(await suite.browser.context.newPage());
    again.setDefaultTimeout(15_000);
    await again.setViewportSize(PHONE);
    await again.goto(`${suite.server.baseUrl}/sign-in`);
    // The sign-in page speaks the language last used in this browser (French now).
    await again.locator('input[name="username"]').fill('investigator2');
    await again.locator('input[name="password"]').fill(suite.server.password);
    await again.locator('form button[type="submit"]').click();
    const signInCode = again.locator('input[name="totp"]');
    await signInCode.waitFor();
    await expect(signInCode.getAttribute('autocomplete')).resolves.toBe('one-time-code');
    await screenshot(again, 'second-factor-sign-in-code-phone');
    await signInCode.fill(totpCode(key, Date.now()));
    await again.locator('form button[type="submit"]').click();
    await again.getByTestId('user-name').waitFor();

    // The first signature of this session asks the code as well; the dialog says why.
    await again.goto(`${suite.server.baseUrl}/patients/${patient}`);
    await again.getByRole('button', { name: 'Randomiser…' }).click();
    await again.locator('input[name="signature-password"]').fill(suite.server.password);
    const signatureCode = again.locator('input[name="signature-totp"]');
    await signatureCode.waitFor();
    await screenshot(again, 'second-factor-signature-phone-fr');
    await signatureCode.fill(totpCode(key, Date.now()));
    await again.getByRole('button', { name: 'Signer et randomiser' }).click();
    await again.getByTestId('randomization-result').waitFor();
  });

  test('[MFA-003] a sign-in with a recovery code shows how many remain, and warns when few are left (phone, French)', async () => {
    const base = suite.server.baseUrl;
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${base}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as any };
    };
    // The monitor sets up a second factor of their own and keeps its ten recovery codes.
    const users = await suite.api.call<Array<{ id: string; username: string }>>('admin', 'GET', '/users');
    const id = users.find((u) => u.username === 'monitor')!.id;
    await suite.api.call('admin', 'POST', `/users/${id}/second-factor/reset`, { reason: 'new phone' });
    const first = await post('/auth/login', { username: 'monitor', password: suite.server.password });
    const enrolment = await post('/auth/second-factor/enrol', {}, first.body.accessToken);
    const key = base32Decode(enrolment.body.secret);
    const confirmed = await post(
      '/auth/second-factor/confirm',
      { code: totpCode(key, Date.now()) },
      first.body.accessToken,
    );
    const codes: string[] = confirmed.body.recoveryCodes;
    expect(codes).toHaveLength(10);

    const signInWith = async (code: string, viewport: { width: number; height: number }) => {
      const page = suite.track(await suite.browser.context.newPage());
      page.setDefaultTimeout(15_000);
      await page.setViewportSize(viewport);
      await page.goto(`${base}/sign-in`);
      await page.locator('input[name="username"]').fill('monitor');
      await page.locator('input[name="password"]').fill(suite.server.password);
      await page.locator('form button[type="submit"]').click();
      await page.locator('input[name="totp"]').fill(code);
      await page.locator('form button[type="submit"]').click();
      await page.getByTestId('user-name').waitFor();
      return page;
    };

    // Nine left: said once, politely, on the first page.
    const desktop = await signInWith(codes[0], { width: 1280, height: 900 });
    const notice = desktop.getByTestId('recovery-codes-remaining');
    await expect(notice.textContent()).resolves.toContain('9 recovery codes remain');
    await expect(notice.getAttribute('role')).resolves.toBe('status');
    await notice.getByRole('button').click();
    await expect(notice.count()).resolves.toBe(0);

    // Seven more used elsewhere (the last one to choose French); on a phone, the ninth leaves one: a warning that says what to do.
    for (const code of codes.slice(1, 7)) {
      expect(
        (await post('/auth/login', { username: 'monitor', password: suite.server.password, totp: code })).status,
      ).toBe(200);
    }
    const token = (await post('/auth/login', { username: 'monitor', password: suite.server.password, totp: codes[7] }))
      .body.accessToken;
    await fetch(`${base}/api/auth/me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ locale: 'fr' }),
    });
    const phone = await signInWith(codes[8], PHONE);
    const warning = phone.getByTestId('recovery-codes-remaining');
    await expect(warning.getAttribute('role')).resolves.toBe('alert');
    const text = (await warning.textContent()) ?? '';
    expect(text).toContain('il en reste 1');
    expect(text).toContain('Il reste peu de codes de secours');
    // It fits the phone's width (no horizontal scroll).
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'second-factor-recovery-left-phone-fr');
  });
});
