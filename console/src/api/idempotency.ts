/**
 * One Idempotency-Key per randomization intent: created when the user first tries to randomize a
 * patient, reused on every retry of that intent (network failure, BUSY, in flight, a reload of the
 * page), forgotten once the server has answered for good. Kept in sessionStorage so a retry after a
 * reload still sends the same key and gets the same answer instead of a second randomization.
 */
const PREFIX = 'blindrand.intent.';

function newKey(): string {
  return crypto.randomUUID();
}

/** The key of the pending randomization intent for this participant, created on first use. */
export function intentKey(participantId: string): string {
  const stored = sessionStorage.getItem(PREFIX + participantId);
  if (stored) return stored;
  const key = newKey();
  sessionStorage.setItem(PREFIX + participantId, key);
  return key;
}

/** The intent is settled (randomized, or refused for a reason a retry cannot change). */
export function settleIntent(participantId: string): void {
  sessionStorage.removeItem(PREFIX + participantId);
}
