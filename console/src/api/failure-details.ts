/**
 * What a failed password answer adds to its sentence (issue 15, messages): whose password failed — the
 * co-signer's, not the signed-in person's — and how many attempts remain before that account is locked,
 * so the person knows what to do next. The server sends both in `details` (SIGNATURE_INVALID,
 * UNAUTHENTICATED on sign-in): { signer?: 'self' | 'cosigner', attemptsRemaining?: number }.
 */
import { t } from '../i18n/index.js';

interface FailureDetails {
  signer?: unknown;
  attemptsRemaining?: unknown;
  /** An SSO signature whose re-authentication ticket was refused (no password was involved). */
  reauthRequired?: unknown;
}

export function withFailureDetails(sentence: string, details: unknown): string {
  if (!details || typeof details !== 'object') return sentence;
  const d = details as FailureDetails;
  if (d.reauthRequired === true) return t('oidc.reauthRefused');
  const cosigner = d.signer === 'cosigner';
  const main = cosigner ? t('signing.cosignerWrong') : sentence;
  const left = typeof d.attemptsRemaining === 'number' ? d.attemptsRemaining : null;
  if (left === null) return main;
  if (left > 0)
    return `${main} ${t(cosigner ? 'signing.cosignerAttemptsLeft' : 'signing.attemptsLeft', { count: left })}`;
  return `${main} ${t(cosigner ? 'signing.cosignerLocked' : 'signing.accountLocked')}`;
}
