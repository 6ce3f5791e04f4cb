/**
 * What an electronic signature needs from its signer, decided in one place (21 CFR 11.200(a)(1)):
 * the first signing of a continuous session uses every component (password + code of the second
 * factor); later signings of the same session need the password. A co-signer typing on someone
 * else's screen is not in a session of their own, so they always give both.
 */

/** The facts the rule reads. */
export interface SignerFacts {
  /** The signer has a confirmed local second factor (TOTP). */
  enrolled: boolean;
  /** The signer's role needs a second factor (shared/roles.ts requiresSecondFactor): without one they cannot sign. */
  required: boolean;
  /** A full signature was already made in the signer's current session (sessions.full_signature_at). */
  fullSignatureInSession: boolean;
  /** Signing on another person's session (a co-signature): no session of one's own. */
  coSigner: boolean;
}

/** The components the signature must carry. */
export interface SignatureNeeds {
  password: true;
  code: boolean;
}

export function signatureNeeds(facts: SignerFacts): SignatureNeeds {
  if (!facts.enrolled) return { password: true, code: facts.required };
  return { password: true, code: facts.coSigner || !facts.fullSignatureInSession };
}
