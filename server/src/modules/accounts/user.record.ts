import type { AdminUserView, UserView } from '../../../../shared/contract.js';
import { isLocale, type Locale } from '../../../../shared/i18n/catalogue.js';
import type { Role } from '../../../../shared/roles.js';
import { asBool, asJson, asStr, asStrOrNull } from '../../database/sql.js';

/** A user row as the server holds it (password hash included: never returned). */
export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  siteCodes: string[];
  passwordHash: string;
  active: boolean;
  failedAttempts: number;
  lockedAt: string | null;
  /** The language chosen for this person (null: their site's, else the instance default). */
  locale: Locale | null;
  /** Who created the account (null: demo, CLI or system) and who last reset its password or changed its e-mail. */
  createdById: string | null;
  credentialsById: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toUserRecord(r: Record<string, unknown>): UserRecord {
  return {
    id: asStr(r.id),
    username: asStr(r.username),
    displayName: asStr(r.display_name),
    email: asStrOrNull(r.email),
    role: asStr(r.role) as Role,
    siteCodes: asJson<string[]>(r.site_codes, []),
    passwordHash: asStr(r.password_hash),
    active: asBool(r.active),
    failedAttempts: Number(r.failed_attempts),
    lockedAt: asStrOrNull(r.locked_at),
    locale: isLocale(r.locale) ? r.locale : null,
    createdById: asStrOrNull(r.created_by_id),
    credentialsById: asStrOrNull(r.credentials_by_id),
    createdAt: asStr(r.created_at),
    updatedAt: asStr(r.updated_at),
  };
}

export function toUserView(u: UserRecord): UserView {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, siteCodes: [...u.siteCodes] };
}

export function toAdminUserView(u: UserRecord): AdminUserView {
  return {
    ...toUserView(u),
    email: u.email,
    active: u.active,
    locked: u.lockedAt !== null,
    failedAttempts: u.failedAttempts,
    preferredLocale: u.locale,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

/**
 * The password hash of an account that signs in only through the identity provider (issue 16): not an
 * argon2 hash, so no password ever matches it, and no set-password link is sent when it is approved.
 */
export const SSO_ONLY_PASSWORD = '!sso-only';
