import type { Command } from 'commander';

/** Each group adds its commands to the program. Add a line per file. */
export const COMMAND_GROUPS: Array<(program: Command) => void> = [];
