/**
 * An admin links an existing account to a person at the identity provider (their subject), so that
 * this person signs in to that account through the provider. The only way besides the held creation of
 * sign-in (oidc.service.ts) that a subject reaches an account: a matching username never does.
 * A link is a credential: the admin becomes the account's credentials holder (role-grants.ts
 * independence rules), it is audited, and it is refused for one's own account and for the sensitive
 * roles, whose credentials a single person never sets (those people come in through the held grant).
 */
import { Injectable } from '@nestjs/common';
import type { AdminUserView } from '../../../../shared/contract.js';
import { isSensitiveRole } from '../../../../shared/roles.js';
import { DomainError, notFound } from '../../common/domain-error.js';
import { actorOf, type Viewer } from '../../common/viewer.js';
import { DatabaseService } from '../../database/database.service.js';
import { toAdminUserView } from '../accounts/user.record.js';
import { UsersRepository } from '../accounts/users.repository.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { OidcRepository } from './oidc.repository.js';

@Injectable()
export class OidcLinksService {
  constructor(private readonly db: DatabaseService) {}

  async link(viewer: Viewer, userId: string, subject: string): Promise<AdminUserView> {
    const issuer = this.issuer();
    return this.db.instanceWrite(actorOf(viewer), async (tx) => {
      const user = await UsersRepository.findById(tx.sql, userId);
      if (!user) throw notFound('The user');
      if (user.id === viewer.userId)
        throw new DomainError('FORBIDDEN', 'Your own account is linked to the identity provider by another admin.');
      if (isSensitiveRole(user.role))
        throw new DomainError(
          'FORBIDDEN',
          'An account of a sensitive role is not linked by one person: the person signs in through the provider with a mapped group and a second person approves the held grant.',
        );
      const holder = await OidcRepository.userForSubject(tx.sql, issuer, subject);
      if (holder)
        throw new DomainError('DUPLICATE', 'This person at the identity provider is already linked to an account.');
      if (await OidcRepository.subjectOf(tx.sql, user.id, issuer))
        throw new DomainError('DUPLICATE', `"${user.username}" is already linked: unlink it first.`);
      await OidcRepository.link(tx.sql, { issuer, subject, userId: user.id, linkedBy: viewer.username, at: tx.now });
      const after = { ...user, credentialsById: viewer.userId, updatedAt: tx.now };
      await UsersRepository.update(tx.sql, after);
      tx.audit({ action: 'user.identity_linked', entityType: 'user', entityId: user.id, details: { issuer, subject } });
      return toAdminUserView(after);
    });
  }

  async unlink(viewer: Viewer, userId: string): Promise<void> {
    const issuer = this.issuer();
    await this.db.instanceWrite(actorOf(viewer), async (tx) => {
      const subject = await OidcRepository.subjectOf(tx.sql, userId, issuer);
      if (!subject) throw notFound('The link of this user');
      await OidcRepository.unlink(tx.sql, userId, issuer);
      // Sessions opened through the provider end with the link.
      await SessionsRepository.revokeAllForUser(tx.sql, userId, tx.now);
      tx.audit({
        action: 'user.identity_unlinked',
        entityType: 'user',
        entityId: userId,
        details: { issuer, subject },
      });
    });
  }

  private issuer(): string {
    const issuer = this.db.config.oidc?.issuer;
    if (!issuer)
      throw new DomainError('NOT_FOUND', 'Sign-in through an identity provider is not configured on this instance.');
    return issuer;
  }
}
