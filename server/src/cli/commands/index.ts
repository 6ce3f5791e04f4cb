import type { Command } from 'commander';
import { registerAudit } from './audit.js';
import { registerUser } from './user.js';
import { registerReplay } from './replay.js';
import { register as registerProtocol } from './protocol.js';
import { register as registerList } from './list.js';
import { register as registerSimulate } from './simulate.js';
import { registerUnblinding } from './unblinding.js';
import { registerReanchor } from './reanchor.js';
import { registerKey } from './key.js';
import { registerArchive } from './archive.js';
import { registerUat } from '../uat-command.js';
import { registerQualify } from '../qualify.js';

/** Each group adds its commands to the program. Add a line per file. */
export const COMMAND_GROUPS: Array<(program: Command) => void> = [
  registerAudit,
  registerUser,
  registerReplay,
  registerProtocol,
  registerList,
  registerSimulate,
  registerUnblinding,
  registerReanchor,
  registerKey,
  registerArchive,
  registerUat,
  registerQualify,
];
