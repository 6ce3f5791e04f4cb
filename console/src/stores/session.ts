import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoginResponse, UserView } from '../../../shared/contract.js';
import { hasPermission, type Permission } from '../../../shared/roles.js';
import * as api from '../api/client.js';
import { setToken } from '../api/http.js';
import { setLocale } from '../i18n/index.js';
import { useStudiesStore } from './studies.js';
import type { Locale } from '../../../shared/i18n/catalogue.js';

const STORAGE_KEY = 'blindrand.session';
/** Set while this tab's session was opened through the identity provider: a signature re-authenticates there. */
const VIA_PROVIDER_KEY = 'blindrand.session.viaProvider';
/** The server moves a session's "last seen" at most once a minute (auth.service TOUCH_AFTER_MS); mirrored here. */
const SERVER_TOUCH_MS = 60_000;

interface Stored {
  token: string;
  user: UserView;
  expiresAt: string;
  idleTimeoutSeconds?: number;
  lastSeenAt?: number;
}

/** Who is signed in. The token lives in memory and in this tab's sessionStorage only (never localStorage). */
export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(null);
  const user = ref<UserView | null>(null);
  const expiresAt = ref<string | null>(null);
  /** Why the last session ended, shown on the sign-in page: a catalogue key (auth.*), translated there. */
  const endedReason = ref<string | null>(null);
  /** The server's idle limit (LoginResponse.idleTimeoutSeconds) and our mirror of its "last seen" (ms since epoch). */
  const idleTimeoutSeconds = ref<number | null>(null);
  const lastSeenAt = ref<number | null>(null);
  /** When the server will end the session if nothing else is requested (ms since epoch), or null. */
  const idleDeadline = computed(() =>
    idleTimeoutSeconds.value && lastSeenAt.value !== null ? lastSeenAt.value + idleTimeoutSeconds.value * 1000 : null,
  );

  const signedIn = computed(() => token.value !== null && user.value !== null);
  /** The person's role in the study the console is in (not users.role): what the navigation and pages follow. */
  const role = computed(() => (user.value ? useStudiesStore().role : null));

  /** True when the role in the current study holds the permission (the server still decides). */
  function can(permission: Permission): boolean {
    return role.value !== null && hasPermission(role.value, permission);
  }

  /** The instance pages (users, sites, role grants, qualification) follow the account's own role, as the server does. */
  function canInstance(permission: Permission): boolean {
    return user.value !== null && hasPermission(user.value.role, permission);
  }

  function persist(): void {
    if (token.value && user.value) {
      const stored = {
        token: token.value,
        user: user.value,
        expiresAt: expiresAt.value,
        idleTimeoutSeconds: idleTimeoutSeconds.value,
        lastSeenAt: lastSeenAt.value,
      };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } else sessionStorage.removeItem(STORAGE_KEY);
  }

  /** Restores this tab's session after a reload (the server still checks the token). */
  function restore(): void {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return;
    try {
      const stored = JSON.parse(raw) as Stored;
      token.value = stored.token;
      user.value = stored.user;
      expiresAt.value = stored.expiresAt;
      idleTimeoutSeconds.value = stored.idleTimeoutSeconds ?? null;
      lastSeenAt.value = stored.lastSeenAt ?? Date.now();
      setToken(stored.token);
      if (stored.user.locale) setLocale(stored.user.locale);
    } catch {
      sessionStorage.removeItem(STORAGE_KEY);
    }
  }

  /** Unused recovery codes left, when the last sign-in used one (shown once on the next page). */
  const recoveryCodesRemaining = ref<number | null>(null);

  /** Takes over the session a sign-in answered with (password or identity provider: the same fields). */
  function adopt(res: LoginResponse): void {
    recoveryCodesRemaining.value = res.recoveryCodesRemaining ?? null;
    token.value = res.accessToken;
    user.value = res.user;
    expiresAt.value = res.expiresAt;
    idleTimeoutSeconds.value = res.idleTimeoutSeconds ?? null;
    lastSeenAt.value = Date.now();
    endedReason.value = null;
    setToken(res.accessToken);
    // The console speaks the person's language from the first page after sign-in (profile, else site, else default).
    if (res.user.locale) setLocale(res.user.locale);
    persist();
  }

  /** Signs in; rejects with an ApiError (wrong credentials, locked account). */
  async function signIn(username: string, password: string, totp?: string): Promise<void> {
    adopt(await api.login(username, password, totp));
    sessionStorage.removeItem(VIA_PROVIDER_KEY);
  }

  /** Adopts a session opened through the identity provider (OidcReturnPage exchanged its one-time code). */
  function adoptProviderSession(res: LoginResponse): void {
    adopt(res);
    sessionStorage.setItem(VIA_PROVIDER_KEY, '1');
  }

  /** True when this session came from the identity provider (signatures re-authenticate there, not by password). */
  const viaProvider = () => signedIn.value && sessionStorage.getItem(VIA_PROVIDER_KEY) === '1';

  /** Reads /auth/me again (after enrolment, after a signature: the second-factor state changed). */
  async function refreshUser(): Promise<void> {
    if (!token.value) return;
    user.value = await api.getMe();
    persist();
  }

  /** Keeps a change the server has just confirmed (the remembered study) without reading /auth/me again. */
  function noteUser(changes: Partial<UserView>): void {
    if (!user.value) return;
    user.value = { ...user.value, ...changes };
    persist();
  }

  /** The session must set up its second factor before anything else (the server answers MFA_ENROLMENT_REQUIRED). */
  const needsEnrolment = computed(() => !!user.value?.secondFactor?.required && !user.value.secondFactor.enrolled);

  /** Saves the language chosen in the menu to the profile, so that notifications and e-mails follow it. */
  async function saveLocale(next: Locale): Promise<void> {
    if (!user.value) return;
    try {
      user.value = { ...user.value, ...(await api.updateMe({ locale: next })) };
      persist();
    } catch {
      /* kept on this device; the profile is updated at the next successful choice */
    }
  }

  /** Forgets the session locally (after a 401, or when signing out). */
  function clear(reason: string | null = null): void {
    token.value = null;
    user.value = null;
    expiresAt.value = null;
    idleTimeoutSeconds.value = null;
    lastSeenAt.value = null;
    recoveryCodesRemaining.value = null;
    endedReason.value = reason;
    setToken(null);
    persist();
    sessionStorage.removeItem(VIA_PROVIDER_KEY);
  }

  /** Records an answered request: the server's idle clock restarts when its "last seen" is over a minute old. */
  function noteActivity(now = Date.now()): void {
    if (!token.value) return;
    if (lastSeenAt.value === null || now - lastSeenAt.value > SERVER_TOUCH_MS) {
      lastSeenAt.value = now;
      persist();
    }
  }

  /** Revokes the token on the server, then forgets it (`reason` is shown on the sign-in page). */
  async function signOut(reason: string | null = null): Promise<void> {
    try {
      if (token.value) await api.logout();
    } catch {
      /* the token may already be gone; signing out locally is what matters */
    }
    clear(reason);
  }

  return {
    token,
    user,
    expiresAt,
    endedReason,
    idleTimeoutSeconds,
    lastSeenAt,
    idleDeadline,
    signedIn,
    role,
    can,
    canInstance,
    noteUser,
    restore,
    signIn,
    adoptProviderSession,
    viaProvider,

    refreshUser,
    needsEnrolment,
    recoveryCodesRemaining,
    saveLocale,
    clear,
    noteActivity,
    signOut,
  };
});
