/**
 * What the console tells an administrator about a set-password link the server just issued. The
 * server says whether it went to an e-mail server (`passwordLink.emailed`); without one the link
 * reaches nobody, and only the operator (who holds the database) can issue a usable one.
 */
import type { PasswordLinkIssued } from '../../../../shared/contract.js';
import { t } from '../../i18n/index.js';

export function passwordLinkText(username: string, link: PasswordLinkIssued | undefined): string {
  if (link?.emailed) return t('admin.linkEmailed', { username });
  return t('admin.noMailServer', { username });
}
