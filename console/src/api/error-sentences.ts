/**
 * Which catalogue sentence an API error is shown as (issue 15: one cause, one sentence, in the reader's
 * language). The API's messages are English and part of the contract; the console shows, in order:
 *  1. a known variant of the code, recognised from the server's message (errors.<CODE>.<variant>, with the
 *     facts it names — screening number, site — carried over as parameters);
 *  2. in English, the server's own sentence, which is specific (which field, which criterion);
 *  3. otherwise the catalogue sentence for the code (errors.<CODE>), and only if the code is unknown the
 *     server's message.
 * Never the code's sentence AND the server's message together: that was the duplication users saw.
 */
import { hasMessage, type Locale, type MessageParams } from '../../../shared/i18n/catalogue.js';
import { NAMESPACES } from '../../../shared/i18n/messages/index.js';

interface Variant {
  code: string;
  name: string;
  pattern: RegExp;
}

const V = (code: string, name: string, pattern: RegExp): Variant => ({ code, name, pattern });

/** Frequent server messages with a translation of their own; named groups become parameters. */
export const VARIANTS: Variant[] = [
  V('UNAUTHENTICATED', 'credentials', /^The username or password is not correct/),
  V('UNAUTHENTICATED', 'session', /^Sign in to continue/),
  V('UNAUTHENTICATED', 'code', /^The username, password or code is not correct/),
  V('SIGNATURE_INVALID', 'codeRequired', /^The first signature of a session needs the code/),
  V('SIGNATURE_INVALID', 'code', /^The signature password or code is not correct/),
  V('VALIDATION_FAILED', 'codeMismatch', /^The code does not match/),
  V('VALIDATION_FAILED', 'invalidLink', /^This set-password link is not valid/),
  V('VALIDATION_FAILED', 'passwordTooShort', /^The password must have at least 8 characters/),
  V('VALIDATION_FAILED', 'passwordTooLong', /^The password must have at most 256 characters/),
  V('VALIDATION_FAILED', 'nothingToChange', /^Nothing to change/),
  V('VALIDATION_FAILED', 'investigatorNeedsSite', /^An investigator needs at least one site/),
  V('VALIDATION_FAILED', 'unknownSite', /^Unknown site "(?<site>[^"]+)"/),
  V('VALIDATION_FAILED', 'siteClosed', /^Site "(?<site>[^"]+)" does not exist or is closed/),
  V('VALIDATION_FAILED', 'ownAccount', /^You cannot deactivate your own account/),
  V('VALIDATION_FAILED', 'notLocked', /^The account is not locked/),
  V('VALIDATION_FAILED', 'inactive', /^The account is inactive/),
  V('VALIDATION_FAILED', 'emailNeeded', /^An e-mail address is needed/),
  V('VALIDATION_FAILED', 'noEmail', /^The user "(?<username>[^"]+)" has no e-mail address/),
  V('VALIDATION_FAILED', 'twoSignatures', /^End-of-study unblinding needs two signatures/),
  V('VALIDATION_FAILED', 'sameValue', /^"(?<field>[^"]+)" already has this value/),
  V('VALIDATION_FAILED', 'periodUnknown', /^Period (?<period>\d+) does not exist/),
  V('NOT_FOUND', 'patient', /^The patient was not found/),
  V('NOT_FOUND', 'request', /^The unblinding request was not found/),
  V('NOT_FOUND', 'noActiveUser', /^No active user named "(?<username>[^"]+)"/),
  V('NOT_ELIGIBLE', 'patient', /^Patient (?<patient>\S+) does not meet the eligibility criteria/),
  V('ALREADY_RANDOMIZED', 'patient', /^Patient (?<patient>\S+) was already randomized \(number (?<number>[^)]+)\)/),
  V('LIST_EXHAUSTED', 'stratum', /^The randomization list for stratum (?<stratum>\S+) is used up/),
  V('FORBIDDEN', 'ownSite', /^You can register patients only at your own site\(s\): (?<sites>[^.]+)/),
  V('FORBIDDEN', 'alreadyDecided', /^You have already decided this request/),
  V('FORBIDDEN', 'ownRequest', /^Nobody may decide their own unblinding request/),
  V('FORBIDDEN', 'requesterOnly', /^Only the investigator who requested this unblinding/),
  V('FORBIDDEN', 'secondStatistician', /^End-of-study unblinding needs two different statisticians/),
  V('DUPLICATE', 'openRequest', /^You already have an open unblinding request for patient (?<patient>\S+)/),
  V('DUPLICATE', 'site', /^Site "(?<site>[^"]+)" already exists/),
  V('DUPLICATE', 'screening', /^Screening number (?<screening>\S+) is already registered at site (?<site>[^.\s]+)/),
  V('DUPLICATE', 'period', /^Period (?<period>\d+) of this patient was already dispensed/),
  V('DUPLICATE', 'user', /^A user named "(?<username>[^"]+)" already exists/),
  V('INVALID_TRANSITION', 'requestDecided', /^The request is already \w+; it cannot be decided again/),
  V('INVALID_TRANSITION', 'grantDecided', /^The grant was already/),
  V('INVALID_TRANSITION', 'periodOrder', /^Record period (?<missing>\d+) before period (?<period>\d+)/),
  V('INVALID_TRANSITION', 'nothingToReveal', /has not been randomized: there is no allocation to reveal/),
  V('INVALID_TRANSITION', 'nothingToPrepare', /^The patient has not been randomized: there is nothing to prepare yet/),
  V('INVALID_TRANSITION', 'grantWaiting', /is already waiting for approval/),
];

/** Where a code's own sentence lives: errors.<CODE>, or the namespace of the area that owns the code (envelopes). */
const CODE_KEYS = ['errors.', 'envelopes.code.'];

/** The catalogue key of a code's own sentence, if any. */
export function codeKey(code: string): string | null {
  return CODE_KEYS.map((prefix) => `${prefix}${code}`).find((key) => hasMessage(key)) ?? null;
}

/** The catalogue key and parameters to show for an error, or null to show the server's own message. */
export function sentenceKey(
  code: string,
  detail: string,
  locale: Locale,
): { key: string; params: MessageParams } | null {
  if (code === 'NETWORK') return { key: 'errors.NETWORK', params: {} };
  for (const v of VARIANTS) {
    if (v.code !== code) continue;
    const m = v.pattern.exec(detail);
    if (m) return { key: `errors.${code}.${v.name}`, params: { ...(m.groups ?? {}) } };
  }
  if (locale === 'en' && detail && code !== 'INTERNAL_ERROR') return null;
  if (hasMessage(`errors.${code}`)) return { key: `errors.${code}`, params: {} };
  // Codes of one feature may keep their sentence in the feature's namespace (<ns>.code.<CODE>).
  const owned = Object.keys(NAMESPACES)
    .map((ns) => `${ns}.code.${code}`)
    .find(hasMessage);
  if (owned) return { key: owned, params: {} };
  return null;
}
