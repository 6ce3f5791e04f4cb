/**
 * `user create-admin`: the first administrator of an empty database (or any later one), audited.
 * Without --password a one-time password is generated and printed: the way back in when a demo
 * start was killed before its generated password could be read.
 */
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
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
}
