import type { Namespace } from './types.js';

/**
 * Catalogue namespace "safety" (see shared/i18n/catalogue.ts): safety unblinding (SUSAR reporting), inadvertent
 * unblinding reports and the end-of-study disclosure. Texts for the requester and the study team never name an
 * arm; only `mail.recipient.*` (to the designated safety address) and the reveal/disclosure pages carry one.
 */
export const safety: Namespace = {
  en: {
    // The neutral confirmation (requester and study team): the same words whatever the arm.
    confirmation: 'The safety unblinding has been delivered to the designated recipient. The allocation is not shown to you or to the study team.',
    'recipient.role': 'Pharmacovigilance (in blindrand)',
    'recipient.email': 'Designated safety address (e-mail)',
    'notice.confirm.title': 'Safety unblinding for patient {patient} (site {site}) delivered to the designated recipient',
    'notice.confirm.body': '{requester} requested a safety unblinding of patient {patient} (site {site}) for expedited safety reporting. The allocation has been delivered to the designated recipient only; it is not shown to the study team, and the patient stays blinded for the trial.',
    'mail.confirm.subject': '[blindrand] A safety unblinding was delivered to the designated recipient',
    'mail.confirm.text': 'A safety unblinding was delivered to the designated recipient. The allocation is not shown to the study team.\n\nSign in to blindrand to view the record.\nReference: {reference}\n',
    'notice.pv.title': 'Safety unblinding for patient {patient} (site {site}): the allocation is available to you',
    'notice.pv.body': '{requester} requested a safety unblinding of patient {patient} (site {site}) for expedited safety reporting. Reason given: {reason}. Open Safety unblindings to view the allocation; every view is recorded.',
    'mail.pv.subject': '[blindrand] A safety unblinding is waiting for you',
    'mail.pv.text': 'A safety unblinding for expedited reporting is waiting for you.\n\nSign in to blindrand to view it; every view is recorded.\nReference: {reference}\n',
    'mail.recipient.subject': '[blindrand] Safety unblinding, study {study}, patient {patient}',
    'mail.recipient.text':
      'Safety unblinding for expedited reporting (ICH E6(R3) 3.15.2).\nThis message is for the designated safety recipient only: do not forward it to the study team, who stay blinded.\n\nStudy: {study}\nPatient: {patient} (site {site})\nRandomization number: {randomizationNumber}\nTreatment code: {treatmentCode}\nAllocation: {allocation}\n{periods}\n\nReason given: {reason}\nSafety report reference: {reportReference}\nRequested by: {requester}, {at}\nblindrand reference: {reference}\n',
    'mail.recipient.allocation': '{armLabel} ({arm})',
    'mail.recipient.period': 'Period {period} ({label}): {product}',
    'mail.recipient.none': 'none given',
    'notice.inadvertent.title': 'Inadvertent unblinding reported for {patients}',
    'notice.inadvertent.body': '{reporter} reported an inadvertent unblinding that occurred on {date} (patients {patients}). Open Inadvertent unblinding to read the report.',
    'mail.inadvertent.subject': '[blindrand] An inadvertent unblinding was reported',
    'mail.inadvertent.text': 'An inadvertent unblinding was reported.\n\nSign in to blindrand to read the report.\nReference: {reference}\n',
  },
  fr: {
    confirmation: "La levée d'aveugle pour la pharmacovigilance a été transmise au destinataire désigné. Le bras de traitement ne vous est pas communiqué, ni à l'équipe de l'étude.",
    'recipient.role': 'Pharmacovigilance (dans blindrand)',
    'recipient.email': 'Adresse de vigilance désignée (courriel)',
    'notice.confirm.title': "Levée d'aveugle pour la pharmacovigilance du patient {patient} (centre {site}) transmise au destinataire désigné",
    'notice.confirm.body': "{requester} a demandé une levée d'aveugle du patient {patient} (centre {site}) pour une déclaration de pharmacovigilance. Le bras de traitement a été transmis au seul destinataire désigné ; il n'est pas communiqué à l'équipe de l'étude et le patient reste en aveugle pour l'essai.",
    'mail.confirm.subject': "[blindrand] Une levée d'aveugle pour la pharmacovigilance a été transmise au destinataire désigné",
    'mail.confirm.text': "Une levée d'aveugle pour la pharmacovigilance a été transmise au destinataire désigné. Le bras de traitement n'est pas communiqué à l'équipe de l'étude.\n\nConnectez-vous à blindrand pour consulter l'enregistrement.\nRéférence : {reference}\n",
    'notice.pv.title': "Levée d'aveugle pour la pharmacovigilance du patient {patient} (centre {site}) : le bras de traitement vous est accessible",
    'notice.pv.body': "{requester} a demandé une levée d'aveugle du patient {patient} (centre {site}) pour une déclaration de pharmacovigilance. Motif indiqué : {reason}. Ouvrez « Levées d'aveugle pour la vigilance » pour consulter le bras de traitement ; chaque consultation est tracée.",
    'mail.pv.subject': "[blindrand] Une levée d'aveugle pour la pharmacovigilance vous attend",
    'mail.pv.text': "Une levée d'aveugle pour une déclaration de pharmacovigilance vous attend.\n\nConnectez-vous à blindrand pour la consulter ; chaque consultation est tracée.\nRéférence : {reference}\n",
    'mail.recipient.subject': "[blindrand] Levée d'aveugle pour la pharmacovigilance, étude {study}, patient {patient}",
    'mail.recipient.text':
      "Levée d'aveugle pour une déclaration de pharmacovigilance (ICH E6(R3) 3.15.2).\nCe message est destiné au seul destinataire désigné pour la vigilance : ne le transférez pas à l'équipe de l'étude, qui reste en aveugle.\n\nÉtude : {study}\nPatient : {patient} (centre {site})\nNuméro de randomisation : {randomizationNumber}\nCode de traitement : {treatmentCode}\nBras de traitement : {allocation}\n{periods}\n\nMotif indiqué : {reason}\nRéférence de la déclaration : {reportReference}\nDemandé par : {requester}, {at}\nRéférence blindrand : {reference}\n",
    'mail.recipient.allocation': '{armLabel} ({arm})',
    'mail.recipient.period': 'Période {period} ({label}) : {product}',
    'mail.recipient.none': 'non indiquée',
    'notice.inadvertent.title': "Levée d'aveugle involontaire déclarée pour {patients}",
    'notice.inadvertent.body': "{reporter} a déclaré une levée d'aveugle involontaire survenue le {date} (patients {patients}). Ouvrez « Levées d'aveugle involontaires » pour lire la déclaration.",
    'mail.inadvertent.subject': "[blindrand] Une levée d'aveugle involontaire a été déclarée",
    'mail.inadvertent.text': "Une levée d'aveugle involontaire a été déclarée.\n\nConnectez-vous à blindrand pour lire la déclaration.\nRéférence : {reference}\n",
  },
};
