import type { Namespace } from './types.js';

/**
 * Catalogue namespace "emergency" (see shared/i18n/catalogue.ts): emergency unblinding at the
 * patient, escalation, the emergency card, pharmacy preparation notices, summaries before
 * irreversible steps. Never an arm or product name in any of them: the readers are mostly blinded.
 */
export const emergency: Namespace = {
  en: {
    // escalation notices (server)
    'escalated.requester-open.title': 'Patient {screening} (site {site}): no monitor decided in time, the allocation is open to you',
    'escalated.requester-open.body': 'Nobody decided your unblinding request for patient {screening} (site {site}) within {minutes} minutes. Under the protocol\'s escalation rule the blind may now be broken: open the patient\'s page to view the allocation. The medical monitors will review the request afterwards.',
    'escalated.monitors-open.title': 'Unblinding request for patient {screening} (site {site}) escalated to break-the-glass',
    'escalated.monitors-open.body': 'The request of {requester} for patient {screening} (site {site}) was not decided within {minutes} minutes; under the protocol\'s escalation rule the allocation is now open to the requester. Please review the request.',
    'escalated.backup.title': 'Urgent: unblinding request for patient {screening} (site {site}) needs a backup monitor',
    'escalated.backup.body': 'The request of {requester} for patient {screening} (site {site}) was not decided within {minutes} minutes. As a backup medical monitor, please decide it now.',
    'escalated.requester-backup.title': 'Your unblinding request for patient {screening} (site {site}) was escalated to a backup monitor',
    'escalated.requester-backup.body': 'Nobody decided your request for patient {screening} (site {site}) within {minutes} minutes; the backup medical monitors were alerted. Call the 24/7 contacts if the patient cannot wait.',
    'mail.escalated.subject': '[blindrand] An unblinding request was escalated',
    'mail.escalated.text': 'An unblinding request was not decided in time and was escalated.\n\nSign in to blindrand to view it.',
    'mail.reference': 'Request reference: {id}',
    'mail.open': 'Open in blindrand: {url}',
    // pharmacy preparation notice (server; unblinded recipients only)
    'pharmacy.title': 'Prepare for patient {screening} (site {site}), code {code}',
    'pharmacy.body': 'Patient {screening} (site {site}) was randomized: number {number}, treatment code {code}. To prepare: {plan}.',
    'pharmacy.period': '{period}: {product}, due {from} to {by}',
    'pharmacy.periodUndated': '{period}: {product}',
    'pharmacy.mail.subject': '[blindrand] A patient was randomized: preparation needed',
    'pharmacy.mail.text': 'Patient {screening} (site {site}) was randomized with treatment code {code}. Sign in to blindrand to see what to prepare.',
  },
  fr: {
    'escalated.requester-open.title': 'Patient {screening} (site {site}) : aucun moniteur n\'a décidé à temps, l\'allocation vous est ouverte',
    'escalated.requester-open.body': 'Personne n\'a statué sur votre demande de levée d\'aveugle pour le patient {screening} (site {site}) dans un délai de {minutes} minutes. Selon la règle d\'escalade du protocole, l\'aveugle peut maintenant être levé : ouvrez la fiche du patient pour consulter l\'allocation. Les moniteurs médicaux examineront la demande a posteriori.',
    'escalated.monitors-open.title': 'Demande de levée d\'aveugle pour le patient {screening} (site {site}) escaladée en levée immédiate',
    'escalated.monitors-open.body': 'La demande de {requester} pour le patient {screening} (site {site}) n\'a pas été traitée dans un délai de {minutes} minutes ; selon la règle d\'escalade du protocole, l\'allocation est maintenant ouverte au demandeur. Merci d\'examiner la demande.',
    'escalated.backup.title': 'Urgent : la demande de levée d\'aveugle pour le patient {screening} (site {site}) attend un moniteur suppléant',
    'escalated.backup.body': 'La demande de {requester} pour le patient {screening} (site {site}) n\'a pas été traitée dans un délai de {minutes} minutes. En tant que moniteur médical suppléant, merci de statuer maintenant.',
    'escalated.requester-backup.title': 'Votre demande de levée d\'aveugle pour le patient {screening} (site {site}) a été transmise à un moniteur suppléant',
    'escalated.requester-backup.body': 'Personne n\'a statué sur votre demande pour le patient {screening} (site {site}) dans un délai de {minutes} minutes ; les moniteurs médicaux suppléants ont été alertés. Appelez les contacts joignables 24 h/24 si le patient ne peut pas attendre.',
    'mail.escalated.subject': '[blindrand] Une demande de levée d\'aveugle a été escaladée',
    'mail.escalated.text': 'Une demande de levée d\'aveugle n\'a pas été traitée à temps et a été escaladée.\n\nConnectez-vous à blindrand pour la consulter.',
    'mail.reference': 'Référence de la demande : {id}',
    'mail.open': 'Ouvrir dans blindrand : {url}',
    'pharmacy.title': 'À préparer pour le patient {screening} (site {site}), code {code}',
    'pharmacy.body': 'Le patient {screening} (site {site}) a été randomisé : numéro {number}, code de traitement {code}. À préparer : {plan}.',
    'pharmacy.period': '{period} : {product}, à délivrer du {from} au {by}',
    'pharmacy.periodUndated': '{period} : {product}',
    'pharmacy.mail.subject': '[blindrand] Un patient a été randomisé : préparation à prévoir',
    'pharmacy.mail.text': 'Le patient {screening} (site {site}) a été randomisé avec le code de traitement {code}. Connectez-vous à blindrand pour voir ce qu\'il faut préparer.',
  },
};
