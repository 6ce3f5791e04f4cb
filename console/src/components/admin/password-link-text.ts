/**
 * What the console tells an administrator about a set-password link the server just issued. The
 * server says whether it went to an e-mail server (`passwordLink.emailed`); without one the link
 * reaches nobody, and only the operator (who holds the database) can issue a usable one.
 */
import type { PasswordLinkIssued } from '../../../../shared/contract.js';

export function passwordLinkText(username: string, link: PasswordLinkIssued | undefined): string {
  if (link?.emailed) return `A set-password link was e-mailed to ${username}.`;
  return `No e-mail server is configured, so no link was e-mailed to ${username}: ask the operator to run \`npm run cli -- user password-link --username ${username}\` and pass the link on.`;
}
