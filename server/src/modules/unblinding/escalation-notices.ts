/**
 * The texts of escalation notices, per recipient language (catalogue namespace "emergency"). Like
 * every unblinding notice they never name an arm: the recipients are blinded. The e-mail only says
 * that something happened and links to the console record behind sign-in.
 */
import { translate, type Locale } from '../../../../shared/i18n/catalogue.js';
import type { LocalizedMessage } from '../notifications/notifications.service.js';
import { patientLink, requestLink } from './unblinding-notices.js';
import type { UnblindingRequestRecord } from './unblinding.repository.js';

type Audience = 'requester-open' | 'monitors-open' | 'backup' | 'requester-backup';

function params(r: UnblindingRequestRecord, minutes: number) {
  return { screening: r.screeningNumber, site: r.siteCode, minutes, requester: r.requestedByName };
}

/** One escalation notice for one audience. */
export function escalationNotice(r: UnblindingRequestRecord, audience: Audience, minutes: number): LocalizedMessage {
  return (locale: Locale) => {
    const p = params(r, minutes);
    const toRequester = audience === 'requester-open' || audience === 'requester-backup';
    return {
      kind:
        audience === 'backup'
          ? 'unblinding.escalated-backup'
          : audience === 'monitors-open'
            ? 'unblinding.escalated-review'
            : 'unblinding.escalated',
      title: translate(locale, `emergency.escalated.${audience}.title`, p),
      body: translate(locale, `emergency.escalated.${audience}.body`, p),
      entityType: 'unblinding-request',
      entityId: r.id,
      link: toRequester ? patientLink(r, audience === 'requester-open') : requestLink(r),
      mail: {
        subject: translate(locale, 'emergency.mail.escalated.subject'),
        text: `${translate(locale, 'emergency.mail.escalated.text')}\n${translate(locale, 'emergency.mail.reference', { id: r.id })}\n`,
      },
    };
  };
}
