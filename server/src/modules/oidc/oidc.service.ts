/**
 * Sign-in through the hospital's identity provider (issue 16 Build 5). The browser goes to the provider
 * with a state, a nonce and a PKCE challenge kept here for a few minutes (single use); the callback
 * exchanges the code (oidc-client.ts checks the ID token) and maps the provider's subject to the
 * account linked to it. The console then receives a one-time code, never the bearer token, and
 * exchanges it for a session. A username match alone never signs anyone into an existing account: only
 * a linked subject does. A person unknown to blindrand whose groups map to a role gets an inactive
 * account and a held grant (role-grants): no access until an admin approves. Every outcome is audited;
 * no token, code or state is.
 */
import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import type {
  LoginResponse,
  OidcHandoffResult,
  OidcProviderView,
  OidcStartResponse,
} from '../../../../shared/contract.js';
import type { Role } from '../../../../shared/roles.js';
import type { OidcConfig } from '../../config/oidc-config.js';
import { Clock } from '../../common/clock.js';
import { DomainError } from '../../common/domain-error.js';
import { type Actor, type Viewer } from '../../common/viewer.js';
import { sha256Hex } from '../../database/audit/audit-chain.js';
import { DatabaseService, type WriteTx } from '../../database/database.service.js';
import { SSO_ONLY_PASSWORD, type UserRecord } from '../accounts/user.record.js';
import { StudyRolesRepository } from '../accounts/study-roles.repository.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { AuthService } from '../auth/auth.service.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { RoleGrantsService } from '../users/role-grants.service.js';
import { OidcClient, type ProviderClaims } from './oidc-client.js';
import { OidcRepository, type HandoffKind, type OidcRequest } from './oidc.repository.js';

const REQUEST_MINUTES = 10;
const HANDOFF_SECONDS = 60;
const OIDC_ACTOR: Actor = { userId: null, username: 'oidc', role: 'system' };
const NOT_CONFIGURED = 'Sign-in through an identity provider is not configured on this instance.';
// 400, not 401: a spent code says nothing about a session, and a 401 would sign the console out.
const BAD_CODE = 'This sign-in link is not valid any more: sign in again.';

/** Why a callback ends on the console's error page (catalogue keys oidc.error.*); the audit says more. */
type Refusal = 'refused' | 'unknown' | 'expired' | 'provider' | 'disabled';

@Injectable()
export class OidcService {
  private readonly client: OidcClient | null;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly grants: RoleGrantsService,
  ) {
    this.client = db.config.oidc ? new OidcClient(db.config.oidc) : null;
  }

  provider(): OidcProviderView {
    return { enabled: this.client !== null, name: this.db.config.oidc?.name ?? null };
  }

  private settings(): { settings: OidcConfig; client: OidcClient } {
    if (!this.client || !this.db.config.oidc) throw new DomainError('NOT_FOUND', NOT_CONFIGURED);
    return { settings: this.db.config.oidc, client: this.client };
  }

  private get redirectUri(): string {
    return `${this.db.config.publicUrl}/api/auth/oidc/callback`;
  }

  /** POST /auth/oidc/start (signed out) and /auth/oidc/reauth (signed in: a signature's fresh login). */
  async start(viewer: Viewer | null): Promise<OidcStartResponse> {
    const { client } = this.settings();
    if (viewer) await this.linkedSubject(viewer.userId);
    const state = oidc.randomState();
    const request: OidcRequest = {
      purpose: viewer ? 'reauth' : 'login',
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      userId: viewer?.userId ?? null,
      sessionId: viewer?.sessionId ?? null,
      expiresAt: new Date(this.clock.now().getTime() + REQUEST_MINUTES * 60_000).toISOString(),
    };
    const authorizationUrl = await this.providerCall(() =>
      client.authorizationUrl(
        this.redirectUri,
        { state, nonce: request.nonce, codeVerifier: request.codeVerifier },
        // A signature needs the person to authenticate again now, whatever session the provider holds.
        viewer ? { prompt: 'login', max_age: '0' } : {},
      ),
    );
    await this.db.instanceWrite(
      OIDC_ACTOR,
      (tx) => OidcRepository.insertRequest(tx.sql, sha256Hex(state), request, tx.now),
      { unaudited: 'OIDC request in flight (the outcome is audited at the callback)' },
    );
    return { authorizationUrl };
  }

  /** GET /auth/oidc/callback: returns the console URL to send the browser to (a one-time code or an error). */
  async callback(url: URL): Promise<string> {
    const { settings, client } = this.settings();
    const state = url.searchParams.get('state') ?? '';
    const request = state
      ? await this.db.instanceWrite(OIDC_ACTOR, (tx) => OidcRepository.takeRequest(tx.sql, sha256Hex(state)), {
          unaudited: 'OIDC request used (the outcome is audited below)',
        })
      : null;
    const purpose = request?.purpose ?? 'login';
    if (!request || Date.parse(request.expiresAt) < this.clock.now().getTime())
      return this.refuse('expired', purpose, 'unknown, used or expired state');
    const providerError = url.searchParams.get('error');
    if (providerError) return this.refuse('provider', purpose, `the provider answered ${providerError.slice(0, 64)}`);
    let claims: ProviderClaims;
    try {
      // The callback URL as registered, with the provider's parameters (a proxy may have rewritten the host).
      const callbackUrl = new URL(this.redirectUri);
      callbackUrl.search = url.search;
      claims = await client.exchange(callbackUrl, {
        state,
        nonce: request.nonce,
        codeVerifier: request.codeVerifier,
        ...(purpose === 'reauth' ? { maxAge: settings.reauthMaxAgeSeconds } : {}),
      });
    } catch (err) {
      return this.refuse('refused', purpose, `the provider's answer failed a check: ${describe(err)}`);
    }
    return purpose === 'reauth' ? this.reauthenticated(settings, request, claims) : this.signedIn(settings, claims);
  }

  private async signedIn(settings: OidcConfig, claims: ProviderClaims): Promise<string> {
    const issuer = settings.issuer;
    const username = stringClaim(claims.claims[settings.usernameClaim]);
    const linked = await this.db.read(async (sql) => {
      const id = await OidcRepository.userForSubject(sql, issuer, claims.sub);
      return id ? UsersRepository.findById(sql, id) : null;
    });
    if (linked) {
      if (linked.lockedAt) return this.refuse('disabled', 'login', 'the account is locked', linked);
      if (!linked.active) {
        const pending = await this.db.read((sql) => this.grants.pendingViews(sql, linked));
        if (!pending.some((g) => g.kind === 'create'))
          return this.refuse('disabled', 'login', 'the account is disabled', linked);
        return this.handoff(linked, 'pending', 'auth.oidc_pending', { waitingFor: 'approval' });
      }
      return this.handoff(linked, 'session', 'auth.oidc_signed_in', {});
    }
    const role = mappedRole(settings, claims.claims);
    const details = { issuer, subject: claims.sub, username, groupsMapped: role !== null };
    if (!username || !/^[a-z0-9][a-z0-9._-]{1,63}$/.test(username))
      return this.refuse(
        'unknown',
        'login',
        `the ${settings.usernameClaim} claim is missing or not a username`,
        null,
        details,
      );
    if (!role) return this.refuse('unknown', 'login', 'no account is linked to this person', null, details);
    const taken = await this.db.read((sql) => UsersRepository.findByUsername(sql, username));
    // Never take over an account by its name: an admin links an existing account explicitly.
    if (taken)
      return this.refuse('unknown', 'login', 'an account of that username exists but is not linked', null, details);
    return this.createPending(settings, claims, username, role);
  }

  /** An unknown person in a mapped group: an inactive account linked to them, and a held grant of the role. */
  private async createPending(settings: OidcConfig, claims: ProviderClaims, username: string, role: Role) {
    const code = randomBytes(32).toString('base64url');
    await this.db.accountWrite(OIDC_ACTOR, async (tx) => {
      const user: UserRecord = {
        id: randomUUID(),
        username,
        displayName: stringClaim(claims.claims.name)?.slice(0, 128) || username,
        email: stringClaim(claims.claims.email)?.slice(0, 254) ?? null,
        role,
        siteCodes: [],
        passwordHash: SSO_ONLY_PASSWORD,
        active: false,
        failedAttempts: 0,
        lockedAt: null,
        locale: null,
        createdById: null,
        credentialsById: null,
        createdAt: tx.now,
        updatedAt: tx.now,
      };
      await UsersRepository.insert(tx.sql, user);
      await StudyRolesRepository.syncFirstStudy(tx.sql, user, tx.actor.username, tx.now);
      await OidcRepository.link(tx.sql, {
        issuer: settings.issuer,
        subject: claims.sub,
        userId: user.id,
        linkedBy: 'oidc',
        at: tx.now,
      });
      const { passwordHash: _p, ...visible } = user;
      tx.audit({
        action: 'user.created',
        entityType: 'user',
        entityId: user.id,
        details: { user: visible, heldForApproval: true, via: 'oidc', issuer: settings.issuer, subject: claims.sub },
      });
      // The person asks for the role their groups map to; an independent admin decides (role-grants.ts).
      const self: Viewer = { ...visibleViewer(user), sessionId: '' };
      await this.grants.hold(tx, self, user, 'create', role, user.email, 'group mapping at OpenID Connect sign-in');
      await this.insertHandoff(tx, code, user.id, 'pending', null, null);
    });
    return this.consoleUrl({ handoff: code });
  }

  private async reauthenticated(settings: OidcConfig, request: OidcRequest, claims: ProviderClaims) {
    const userId = request.userId!;
    const subject = await this.db.read((sql) => OidcRepository.subjectOf(sql, userId, settings.issuer));
    const user = await this.db.read((sql) => UsersRepository.findById(sql, userId));
    if (!user || subject !== claims.sub)
      return this.refuse('refused', 'reauth', 'the provider signed in someone else', user);
    const ageSeconds = claims.authTime === null ? Infinity : this.clock.now().getTime() / 1000 - claims.authTime;
    if (ageSeconds > settings.reauthMaxAgeSeconds)
      return this.refuse(
        'refused',
        'reauth',
        'the provider did not authenticate the person again (stale auth_time)',
        user,
      );
    const code = randomBytes(32).toString('base64url');
    await this.db.instanceWrite(userActor(user), async (tx) => {
      await this.insertHandoff(
        tx,
        code,
        user.id,
        'reauth',
        request.sessionId,
        new Date(claims.authTime! * 1000).toISOString(),
      );
      tx.audit({
        action: 'auth.oidc_reauthenticated',
        entityType: 'user',
        entityId: user.id,
        details: { issuer: settings.issuer, authTime: new Date(claims.authTime! * 1000).toISOString() },
      });
    });
    return this.consoleUrl({ reauth: code });
  }

  private async handoff(user: UserRecord, kind: HandoffKind, action: string, details: Record<string, unknown>) {
    const code = randomBytes(32).toString('base64url');
    await this.db.instanceWrite(userActor(user), async (tx) => {
      await this.insertHandoff(tx, code, user.id, kind, null, null);
      tx.audit({
        action,
        entityType: 'user',
        entityId: user.id,
        details: { issuer: this.db.config.oidc!.issuer, ...details },
      });
    });
    return this.consoleUrl({ handoff: code });
  }

  private insertHandoff(
    tx: WriteTx,
    code: string,
    userId: string,
    kind: HandoffKind,
    sessionId: string | null,
    authTime: string | null,
  ): Promise<void> {
    const seconds = kind === 'reauth' ? this.db.config.oidc!.reauthMaxAgeSeconds : HANDOFF_SECONDS;
    const expiresAt = new Date(Date.parse(tx.now) + seconds * 1000).toISOString();
    return OidcRepository.insertHandoff(
      tx.sql,
      sha256Hex(code),
      { kind, userId, sessionId, authTime, expiresAt },
      tx.now,
    );
  }

  /** Audits a refused callback (its own transaction: nothing else is written) and returns the error page. */
  private async refuse(
    why: Refusal,
    purpose: 'login' | 'reauth',
    reason: string,
    user: UserRecord | null = null,
    details: Record<string, unknown> = {},
  ): Promise<string> {
    const unknown = why === 'unknown';
    await this.db.instanceWrite(user ? userActor(user) : OIDC_ACTOR, async (tx) => {
      tx.audit({
        action: unknown ? 'auth.oidc_unknown_person' : 'auth.oidc_refused',
        entityType: 'user',
        entityId: user?.id ?? null,
        reason,
        details: { purpose, issuer: this.db.config.oidc?.issuer ?? null, ...details },
      });
    });
    return this.consoleUrl({ error: why, ...(purpose === 'reauth' ? { purpose } : {}) });
  }

  /** POST /auth/oidc/handoff: a one-time code becomes a session, or the news that approval is awaited. */
  async exchange(code: string): Promise<OidcHandoffResult> {
    this.settings();
    const hash = sha256Hex(String(code));
    const found = await this.db.instanceWrite(OIDC_ACTOR, (tx) => OidcRepository.useHandoff(tx.sql, hash, tx.now), {
      unaudited: 'one-time code used (the session it opens is audited)',
    });
    if (!found || found.usedAt || found.kind === 'reauth' || Date.parse(found.expiresAt) < this.clock.now().getTime())
      throw new DomainError('VALIDATION_FAILED', BAD_CODE);
    const user = await this.db.read((sql) => UsersRepository.findById(sql, found.userId));
    if (!user) throw new DomainError('VALIDATION_FAILED', BAD_CODE);
    if (found.kind === 'pending') return { status: 'pending', username: user.username, displayName: user.displayName };
    if (!user.active || user.lockedAt) throw new DomainError('VALIDATION_FAILED', BAD_CODE);
    return { status: 'signed-in', login: await this.openSession(user) };
  }

  /** The same session as a password sign-in (auth.service.ts login), audited as auth.login via oidc. */
  private async openSession(user: UserRecord): Promise<LoginResponse> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(
      this.clock.now().getTime() + this.db.config.session.absoluteSeconds * 1000,
    ).toISOString();
    await this.db.instanceWrite(userActor(user), async (tx) => {
      const sessionId = await SessionsRepository.open(tx.sql, {
        token,
        userId: user.id,
        now: tx.now,
        expiresAt,
        via: 'oidc',
      });
      tx.audit({
        action: 'auth.login',
        entityType: 'session',
        entityId: sessionId,
        details: { userId: user.id, via: 'oidc' },
      });
    });
    const view = await this.db.read((sql) => this.auth.sessionUser(sql, user, { viaProvider: true }));
    return { accessToken: token, expiresAt, idleTimeoutSeconds: this.db.config.session.idleSeconds, user: view };
  }

  /** The subject an account is linked to; an account with none cannot re-authenticate at the provider. */
  private async linkedSubject(userId: string): Promise<string> {
    const issuer = this.settings().settings.issuer;
    const subject = await this.db.read((sql) => OidcRepository.subjectOf(sql, userId, issuer));
    if (!subject)
      throw new DomainError(
        'VALIDATION_FAILED',
        'Your account is not linked to the identity provider: sign with your password.',
      );
    return subject;
  }

  private consoleUrl(params: Record<string, string>): string {
    return `${this.db.config.publicUrl}/oidc/return?${new URLSearchParams(params).toString()}`;
  }

  private async providerCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw new DomainError(
        'IDENTITY_PROVIDER_UNAVAILABLE',
        `The identity provider cannot be reached: ${describe(err)}`,
      );
    }
  }
}

function visibleViewer(user: UserRecord): Omit<Viewer, 'sessionId'> {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    siteCodes: user.siteCodes,
  };
}

const userActor = (user: UserRecord): Actor => ({ userId: user.id, username: user.username, role: user.role });

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** The first role (in the configured order) any of the person's groups maps to; null: none. */
function mappedRole(settings: OidcConfig, claims: Record<string, unknown>): Role | null {
  if (!settings.groupsClaim) return null;
  const raw = claims[settings.groupsClaim];
  const groups = new Set((Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).map(String));
  for (const [group, role] of Object.entries(settings.groupRoles)) if (groups.has(group)) return role;
  return null;
}

/** An error's message for the audit: openid-client's messages name the failed check, never a token. */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.slice(0, 200);
}
