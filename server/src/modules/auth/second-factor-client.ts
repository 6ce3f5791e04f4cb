/**
 * The client side of the second factor, for programs that sign in and sign as several people in a
 * row (the qualification run's throwaway study, the test suites): it knows each person's TOTP
 * secret and gives a fresh code each time (never a step it already used: the server refuses a
 * replayed code), and it adds the code only where the server asks for one — sign-in, the first
 * signature of a session (21 CFR 11.200(a)(1)) and every co-signature. It waits for the next
 * 30-second step when it has used up the ones the server accepts.
 */
import { base32Decode, hotp, TOTP_STEP_SECONDS, totpStep } from './totp.js';

type Body = Record<string, unknown>;
interface ClientSession {
  username: string;
  signed: boolean;
  /** A request with the first-signature code is in flight (concurrent ones wait, so one code serves). */
  first: Promise<void> | null;
  release: () => void;
}

export class SecondFactorClient {
  private readonly lastStep = new Map<string, number>();
  /** Sessions by token: whose, and whether they made their first full signature yet. */
  private readonly sessions = new Map<string, ClientSession>();
  /** Requests carrying a session's first-signature code: the session's other signed requests wait for them. */
  private readonly firsts = new WeakMap<object, ClientSession>();
  /** Added to this process's clock to get the server's (tests move a server's clock forward). */
  clockOffsetMs = 0;
  /** The server accepts a code twice (test-only switch, totp-replay.ts): never wait for the next step. */
  reuseSteps = false;

  private readonly learned = new Map<string, Buffer>();

  /** `secretFor`: the secrets known beforehand (the demo accounts'); those enrolled through this client are added. */
  constructor(private readonly secretFor: (username: string) => Buffer | null) {}

  /** A code for `username` (undefined when their secret is unknown). */
  async code(username: string): Promise<string | undefined> {
    const secret = this.learned.get(username) ?? this.secretFor(username);
    if (!secret) return undefined;
    for (;;) {
      const now = Date.now() + this.clockOffsetMs;
      const current = totpStep(now);
      // The current step or the next one (the server accepts one step of drift), never a spent one.
      const step = Math.max(current, (this.lastStep.get(username) ?? -1) + 1);
      if (this.reuseSteps) return hotp(secret, current);
      if (step <= current + 1) {
        this.lastStep.set(username, step);
        return hotp(secret, step);
      }
      await new Promise((r) => setTimeout(r, (current + 1) * TOTP_STEP_SECONDS * 1000 - now + 50));
    }
  }

  /** A secret this client enrolled (POST /auth/second-factor/enrol answered it). */
  learn(username: string, secret: Buffer): void {
    this.learned.set(username, secret);
    this.lastStep.delete(username);
  }

  /**
   * Signs in through `post` with a code when the secret is known; a person whose role needs a second
   * factor and has none is enrolled on the spot. Returns the sign-in answer (any status).
   */
  async signIn<R extends { status: number; body: any }>(
    post: (path: string, body: unknown, token?: string) => Promise<R>,
    username: string,
    password: string,
  ): Promise<R> {
    const totp = await this.code(username);
    const res = await post('/api/auth/login', { username, password, ...(totp ? { totp } : {}) });
    if (res.status !== 200) return res;
    const token = String(res.body.accessToken);
    this.signedIn(token, username);
    const state = res.body.user?.secondFactor;
    if (state?.required && !state.enrolled) {
      const enrolment = await post('/api/auth/second-factor/enrol', {}, token);
      if (enrolment.status !== 200) throw new Error(`enrolment of ${username} failed: ${enrolment.status}`);
      this.learn(username, base32Decode(String(enrolment.body.secret)));
      const confirmed = await post('/api/auth/second-factor/confirm', { code: await this.code(username) }, token);
      if (confirmed.status !== 200) throw new Error(`enrolment of ${username} not confirmed: ${confirmed.status}`);
    }
    return res;
  }

  /** After a sign-in: remember whose session the token is. */
  signedIn(token: string, username: string): void {
    this.sessions.set(token, { username, signed: false, first: null, release: () => undefined });
  }

  /**
   * Sends `body` through `send` with the codes the server asks for, then settles the session with the answer. When
   * `send` (or `me`) throws — a connection lost mid-request, a server killed — the session is released unsigned: its
   * other signed requests would otherwise wait for an answer that never comes (a crash test hung on it).
   */
  async exchange<R extends { status: number }>(
    body: unknown,
    token: string | undefined,
    me: ((token: string) => Promise<{ status: number; body: any }>) | undefined,
    send: (sent: unknown) => Promise<R>,
  ): Promise<R> {
    const out: Body | null = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as Body) } : null;
    let status: number | null = null;
    try {
      const sent = out ? await this.withCodes(out, token, me) : body;
      const res = await send(sent);
      status = res.status;
      return res;
    } finally {
      if (out) this.settle(out, token, status);
    }
  }

  /**
   * `out` with the codes it needs: `signature.totp` while the session has not signed with every component (asked of
   * the server through `me`, GET /auth/me), `secondSignature.totp` always.
   */
  private async withCodes(
    out: Body,
    token: string | undefined,
    me: ((token: string) => Promise<{ status: number; body: any }>) | undefined,
  ): Promise<Body> {
    const session = token ? this.sessions.get(token) : undefined;
    const signature = out.signature as Body | undefined;
    // A caller that sets `totp` itself (even to undefined) keeps it as given: the tests of the rule do.
    if (signature && typeof signature === 'object' && !('totp' in signature) && session) {
      while (session.first) await session.first;
      if (!session.signed) {
        // Hold the session until this request's answer (settle): concurrent signatures wait, one code serves.
        session.first = new Promise((resolve) => (session.release = resolve));
        this.firsts.set(out, session);
        const state = me && token ? (await me(token)).body?.secondFactor : undefined;
        if (state && !state.signatureNeedsCode) session.signed = true;
        const code = session.signed ? undefined : await this.code(session.username);
        if (code) out.signature = { ...signature, totp: code };
      }
    }
    const second = out.secondSignature as Body | undefined;
    if (second && typeof second === 'object' && !('totp' in second) && typeof second.username === 'string') {
      const code = await this.code(second.username);
      if (code) out.secondSignature = { ...second, totp: code };
    }
    return out;
  }

  /** After the answer (`status`, null when none came): a signed request that succeeded made the session's first full
   * signature; the session's waiting requests go on either way. */
  private settle(out: Body, token: string | undefined, status: number | null): void {
    const session = token ? this.sessions.get(token) : undefined;
    if (session && status !== null && status < 300 && 'signature' in out) session.signed = true;
    const first = this.firsts.get(out);
    if (first) {
      this.firsts.delete(out);
      first.first = null;
      first.release();
    }
  }
}
