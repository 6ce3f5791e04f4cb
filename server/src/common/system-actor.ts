/**
 * The actor of writes no user makes (migrations, CLI maintenance, background jobs). Apart from
 * viewer.ts so that the CLI can name it without loading @nestjs/common (a third of a second at start).
 */
import type { Actor } from './viewer.js';

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', role: 'system' };
