/**
 * The one deliberate exception to the blinding guard: the emergency reveal, whose response carries
 * the arm to a (usually blinded) investigator. Two keys must both be present for the interceptor
 * to let an arm through: the route is marked `@AllowUnblindedResponse()`, and the service wrapped
 * its answer in an `UnblindedResponse` addressed to the very user who is calling — which the reveal
 * service does only after checking that the caller is the requester of an approved request.
 * Everywhere else the guard stays closed; an `UnblindedResponse` on an unmarked route is a 500.
 */
import { SetMetadata } from '@nestjs/common';

export const ALLOW_UNBLINDED_KEY = 'blindrand:allow-unblinded-response';

/** Marks the single route whose response may carry an arm to a blinded caller. */
export const AllowUnblindedResponse = () => SetMetadata(ALLOW_UNBLINDED_KEY, true);

/** An answer that may unblind, addressed to one user; the interceptor unwraps it. */
export class UnblindedResponse<T> {
  constructor(
    readonly forUserId: string,
    readonly body: T,
  ) {}
}
