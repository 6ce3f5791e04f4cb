/**
 * `user create-admin`: the first administrator of an empty database (or any later one), audited.
 * Without --password a one-time password is generated and printed: the way back in when a demo
 * start was killed before its generated password could be read. `user password-link` for operators
 * without e-mail; `user reset-second-factors` when second-factor.key is lost (start-up refuses to run
 * without it while it sealed anything).
 */
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { loadConfig } from '../../config/config.js';
import { SYSTEM_ACTOR } from '../../common/system-actor.js';
import { DomainError } from '../../common/domain-error.js';
import { CliError } from '../cli-error.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage users from the command line');
  user
    .command('create-admin')
    .description('create an administrator (uses DATABASE_PATH / DATABASE_URL, or --db)')
    .requiredOption('--username <name>', 'login name')
    .option('--password <password>', 'initial password (at least 8 characters; default: a generated one, printed once)')
    .option('--display-name <name>', 'printed name', 'Administrator')
    .option('--db <file>', 'SQLite database file (overrides DATABASE_PATH)')
    .action(async (opts: { username: string; password?: string; displayName: string; db?: string }) => {
      const generated = opts.password === undefined;
      const password = opts.password ?? randomBytes(12).toString('base64url');
      // Lazily, like the app below: passwords.ts loads argon2's native module.
      const { passwordProblem } = await import('../../modules/auth/passwords.js');
      const problem = passwordProblem(password);
      if (problem) throw new CliError(problem);
      const config = loadConfig({ ...process.env, ...(opts.db ? { DATABASE_PATH: opts.db } : {}) });
      // Loaded lazily: the whole Nest application is only needed by this command.
      const { createApp } = await import('../../create-app.js');
      const { UsersService } = await import('../../modules/users/users.service.js');
      const app = await createApp(config, { logger: false, serveConsole: false });
      try {
        const created = await app
          .get(UsersService)
          .createWithPassword(
            { ...SYSTEM_ACTOR, username: 'cli' },
            { username: opts.username, displayName: opts.displayName, role: 'admin', password, siteCodes: [] },
          );
        process.stdout.write(
          `created administrator ${created.username} (${created.id})${generated ? `; password: ${password}  (shown only this once)` : ''}\n`,
        );
      } catch (err) {
        if (err instanceof DomainError) throw new CliError(err.message);
        throw err;
      } finally {
        await app.close();
      }
    });
  user
    .command('password-link')
    .description(
      'print a one-time set-password link for a user (for operators when no SMTP server is configured); revokes earlier links',
    )
    .requiredOption('--username <name>', 'login name')
    .option('--db <file>', 'SQLite database file (overrides DATABASE_PATH)')
    .action(async (opts: { username: string; db?: string }) => {
      const config = loadConfig({ ...process.env, ...(opts.db ? { DATABASE_PATH: opts.db } : {}) });
      const { createApp } = await import('../../create-app.js');
      const { PasswordLinks } = await import('../../modules/auth/password-links.js');
      const app = await createApp(config, { logger: false, serveConsole: false });
      try {
        process.stdout.write(`${await app.get(PasswordLinks).issueForCli(opts.username)}\n`);
      } catch (err) {
        if (err instanceof DomainError) throw new CliError(err.message);
        throw err;
      } finally {
        await app.close();
      }
    });
  user
    .command('reset-second-factors')
    .description(
      'when second-factor.key is lost: remove every second factor and recovery code (audited per person, sessions ended); everyone enrols again. Run it with the server stopped',
    )
    .requiredOption('--reason <text>', 'why (kept in each audit entry)')
    .option('--db <file>', 'SQLite database file (overrides DATABASE_PATH)')
    .action(async (opts: { reason: string; db?: string }) => {
      if (opts.reason.trim().length < 5) throw new CliError('give a --reason of at least 5 characters');
      const config = loadConfig({ ...process.env, ...(opts.db ? { DATABASE_PATH: opts.db } : {}) });
      const { checkStartup } = await import('../../startup/startup-check.js');
      const startup = await checkStartup(config, { secondFactorKeyLost: true }).catch((err: Error) => {
        throw new CliError(err.message);
      });
      const { SecondFactorKey } = await import('../../modules/auth/second-factor-key.js');
      const keyFile = SecondFactorKey.pathFor(config.signingKeyPath);
      // A damaged or foreign key file is kept aside (never deleted); the next enrolment makes a new key.
      const aside = `${keyFile}.lost-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      if (existsSync(keyFile)) renameSync(keyFile, aside);
      const { createApp } = await import('../../create-app.js');
      const { SecondFactorService } = await import('../../modules/auth/second-factor.service.js');
      const app = await createApp(config, { logger: false, serveConsole: false, startup });
      try {
        const removed = await app.get(SecondFactorService).resetAllForLostKey(opts.reason);
        const moved = existsSync(aside) ? `; the old key file was moved to ${aside}` : '';
        process.stdout.write(
          `removed ${removed} second factor(s); their owners enrol again at their next sign-in${moved}\n`,
        );
      } finally {
        await app.close();
      }
    });
}
