import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerUser } from './user.js';

/** Each group adds its commands to the program. Add a line per file. */
export const COMMAND_GROUPS: Array<(program: Command) => void> = [
  registerAudit,
  registerUser,
];
