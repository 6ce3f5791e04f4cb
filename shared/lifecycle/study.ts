/**
 * The study's lifecycle: `setup → active → locked → unblinded`, each move signed and audited.
 * Nothing leads back: a locked study is never reopened, an unblinded one stays unblinded.
 */
import type { StudyStatus } from '../contract.js';
import type { ErrorCode } from '../errors.js';
import { Permission } from '../roles.js';
import type { Lifecycle } from './lifecycle.js';

export type StudyEvent = 'activate' | 'lock' | 'unblind';

const STUDY_STATUSES: readonly StudyStatus[] = ['setup', 'active', 'locked', 'unblinded'];

export const STUDY_LIFECYCLE: Lifecycle<StudyStatus, StudyEvent> = {
  entityType: 'study',
  statuses: STUDY_STATUSES,
  moves: [
    {
      from: 'setup',
      event: 'activate',
      to: 'active',
      who: Permission.ActivateStudy,
      guard: 'a salted draft scheme exists; rehearsal warnings overridden with a reason; signed',
      audit: 'study.activated',
    },
    {
      from: 'active',
      event: 'lock',
      to: 'locked',
      who: Permission.LockStudy,
      guard: 'signed by a trial statistician',
      audit: 'study.locked',
    },
    {
      from: 'locked',
      event: 'unblind',
      to: 'unblinded',
      who: Permission.UnblindStudy,
      guard: 'signed by two different trial statisticians',
      audit: 'study.unblinded',
    },
  ],
  refused: { activate: 'INVALID_TRANSITION', lock: 'STUDY_NOT_ACTIVE', unblind: 'STUDY_NOT_LOCKED' },
};

/**
 * The code of an action that needs the study in one status without moving it (register, randomize,
 * export…): the code names the status that is missing.
 */
export const STUDY_STATUS_REQUIRED: Readonly<Record<StudyStatus, ErrorCode>> = {
  setup: 'STUDY_NOT_IN_SETUP',
  active: 'STUDY_NOT_ACTIVE',
  locked: 'STUDY_NOT_LOCKED',
  unblinded: 'STUDY_NOT_UNBLINDED',
};
