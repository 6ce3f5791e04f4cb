/**
 * The participant's lifecycle: registered (screened and checked against the eligibility list in
 * one step) as `eligible | ineligible`, then `eligible → randomized → unblinded` (emergency
 * unblinding of that patient). A correction never moves the status ("analyze as randomized"); the
 * end-of-study unblinding concerns the study, not each participant.
 */
import type { ParticipantStatus } from '../contract.js';
import { Permission } from '../roles.js';
import type { Lifecycle } from './lifecycle.js';

export type ParticipantEvent = 'register' | 'randomize' | 'reveal';

const PARTICIPANT_STATUSES: readonly ParticipantStatus[] = ['eligible', 'ineligible', 'randomized', 'unblinded'];

export const PARTICIPANT_LIFECYCLE: Lifecycle<ParticipantStatus, ParticipantEvent> = {
  entityType: 'participant',
  statuses: PARTICIPANT_STATUSES,
  moves: [
    {
      from: null,
      event: 'register',
      to: 'eligible',
      who: Permission.RegisterParticipant,
      guard: 'study active; every eligibility criterion met; a stratum derived',
      audit: 'participant.registered',
    },
    {
      from: null,
      event: 'register',
      to: 'ineligible',
      who: Permission.RegisterParticipant,
      guard: 'study active; an eligibility criterion failed',
      audit: 'participant.registered',
    },
    {
      from: 'eligible',
      event: 'randomize',
      to: 'randomized',
      who: Permission.Randomize,
      guard: 'study active; signed; idempotency key new',
      audit: 'participant.randomized',
    },
    {
      from: 'randomized',
      event: 'reveal',
      to: 'unblinded',
      who: Permission.RequestUnblinding,
      guard: 'the requester views an approved unblinding request',
      audit: 'unblinding.revealed',
    },
  ],
  refused: {
    randomize: { ineligible: 'NOT_ELIGIBLE', randomized: 'ALREADY_RANDOMIZED', unblinded: 'ALREADY_RANDOMIZED' },
  },
};
