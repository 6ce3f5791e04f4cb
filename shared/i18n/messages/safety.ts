import type { Namespace } from './types.js';

/**
 * Catalogue namespace "safety" (see shared/i18n/catalogue.ts): safety unblinding (SUSAR reporting), inadvertent
 * unblinding reports and the end-of-study disclosure. Texts for the requester and the study team never name an
 * arm; only `mail.recipient.*` (to the designated safety address) and the reveal/disclosure pages carry one.
 */
export const safety: Namespace = {
  en: {
    // The neutral confirmation (requester and study team): the same words whatever the arm.
    confirmation:
      'The safety unblinding has been delivered to the designated recipient. The allocation is not shown to you or to the study team.',
    'recipient.role': 'Pharmacovigilance (in blindrand)',
    'recipient.email': 'Designated safety address (e-mail)',
    'notice.confirm.title':
      'Safety unblinding for patient {patient} (site {site}) delivered to the designated recipient',
    'notice.confirm.body':
      '{requester} requested a safety unblinding of patient {patient} (site {site}) for expedited safety reporting. The allocation has been delivered to the designated recipient only; it is not shown to the study team, and the patient stays blinded for the trial.',
    'mail.confirm.subject': '[blindrand] A safety unblinding was delivered to the designated recipient',
    'mail.confirm.text':
      'A safety unblinding was delivered to the designated recipient. The allocation is not shown to the study team.\n\nSign in to blindrand to view the record.\nReference: {reference}\n',
    'notice.pv.title': 'Safety unblinding for patient {patient} (site {site}): the allocation is available to you',
    'notice.pv.body':
      '{requester} requested a safety unblinding of patient {patient} (site {site}) for expedited safety reporting. Reason given: {reason}. Open Safety unblindings to view the allocation; every view is recorded.',
    'mail.pv.subject': '[blindrand] A safety unblinding is waiting for you',
    'mail.pv.text':
      'A safety unblinding for expedited reporting is waiting for you.\n\nSign in to blindrand to view it; every view is recorded.\nReference: {reference}\n',
    'mail.recipient.subject': '[blindrand] Safety unblinding, study {study}, patient {patient}',
    'mail.recipient.text':
      'Safety unblinding for expedited reporting (ICH E6(R3) 3.15.2).\nThis message is for the designated safety recipient only: do not forward it to the study team, who stay blinded.\n\nStudy: {study}\nPatient: {patient} (site {site})\nRandomization number: {randomizationNumber}\nTreatment code: {treatmentCode}\nAllocation: {allocation}\n{periods}\n\nReason given: {reason}\nSafety report reference: {reportReference}\nRequested by: {requester}, {at}\nblindrand reference: {reference}\n',
    'mail.recipient.allocation': '{armLabel} ({arm})',
    'mail.recipient.period': 'Period {period} ({label}): {product}',
    'mail.recipient.none': 'none given',
    'notice.inadvertent.title': 'Inadvertent unblinding reported for {patients}',
    'notice.inadvertent.body':
      '{reporter} reported an inadvertent unblinding that occurred on {date} (patients {patients}). Open Inadvertent unblinding to read the report.',
    'mail.inadvertent.subject': '[blindrand] An inadvertent unblinding was reported',
    'mail.inadvertent.text':
      'An inadvertent unblinding was reported.\n\nSign in to blindrand to read the report.\nReference: {reference}\n',
    'nav.safety': 'Safety unblinding',
    'nav.inadvertent': 'Inadvertent unblinding',
    'nav.inadvertentReport': 'Report inadvertent unblinding',
    'nav.disclosure': 'End-of-study disclosure',
    // Console: safety unblinding page
    'page.title': 'Safety unblinding',
    'page.intro.request':
      'For expedited safety reporting (SUSAR): the allocation goes only to the designated recipient. You and the study team receive a confirmation, never the allocation.',
    'page.intro.pv':
      'Safety unblindings addressed to pharmacovigilance. Each view of an allocation is recorded in the unblinding register and the audit trail.',
    'page.intro.read': 'Safety unblindings and where they were delivered; allocations are never shown here.',
    'page.disabled': 'The protocol designates no safety recipient: safety unblinding is not available in this study.',
    'form.title': 'Request a safety unblinding',
    'form.patient': 'Patient',
    'form.choosePatient': 'Choose a randomized patient',
    'form.reason': 'Safety reason',
    'form.reasonHint':
      'Describe the event (e.g. suspected unexpected serious adverse reaction). Do not name a treatment.',
    'form.reportReference': 'Safety report reference (optional)',
    'form.recipient': 'Delivered to',
    'form.submit': 'Sign and send…',
    'sign.title': 'Sign the safety unblinding',
    'sign.record': 'Safety unblinding of patient {patient}: {reason}',
    'sign.action': 'Sign and send',
    'table.requested': 'Requested',
    'table.patient': 'Patient',
    'table.by': 'By',
    'table.reason': 'Reason',
    'table.reference': 'Report reference',
    'table.recipient': 'Delivered to',
    'table.viewed': 'Viewed by pharmacovigilance',
    'table.notViewed': 'not yet',
    'table.views': '{count} view(s), first {at}',
    'table.action': 'Action',
    empty: 'No safety unblinding yet.',
    'reveal.button': 'View allocation',
    'reveal.heading': 'Allocation of patient {patient}: for pharmacovigilance only; this view is recorded.',
    'reveal.arm': 'Arm',
    'reveal.sequence': 'Sequence',
    'reveal.product': 'Product',
    'reveal.seen': 'Seen',
    // Console: inadvertent unblinding
    'inadvertent.title': 'Inadvertent unblinding',
    'inadvertent.intro':
      'Signed reports of unplanned unblinding (ICH E6(R3) 4.1.4): who, which patients, how, impact and corrective action.',
    'inadvertent.new': 'Report an inadvertent unblinding',
    'inadvertent.formIntro':
      'Report an unplanned unblinding. Write without naming a treatment: blinded people read this report.',
    'inadvertent.patients': 'Patients concerned',
    'inadvertent.patientIds': 'Patient identifiers (one per line)',
    'inadvertent.patientIdsHint': 'Your role cannot list patients: paste the identifiers given by the site.',
    'inadvertent.occurredOn': 'Date it happened',
    'inadvertent.how': 'How it happened',
    'inadvertent.who': 'Who was unblinded',
    'inadvertent.impact': 'Impact assessment',
    'inadvertent.corrective': 'Corrective and preventive action',
    'inadvertent.submit': 'Sign the report…',
    'inadvertent.sign.title': 'Sign the inadvertent unblinding report',
    'inadvertent.sign.record': 'Inadvertent unblinding on {date}, patients {patients}',
    'inadvertent.sign.action': 'Sign report',
    'inadvertent.done': 'The report was signed and recorded. The medical monitors and auditors are notified.',
    'inadvertent.reportedBy': 'Reported by',
    'inadvertent.empty': 'No inadvertent unblinding has been reported.',
    // Console: end-of-study disclosure
    'disclosure.title': 'End-of-study disclosure',
    'disclosure.intro':
      'The treatment each patient received, per site, after the end-of-study unblinding. Generating this report is recorded.',
    'disclosure.print': 'Print',
    'disclosure.site': 'Site {site}: {name}',
    'disclosure.generated': 'Generated {at} by {name}',
    'disclosure.number': 'Rand. no.',
    'disclosure.screening': 'Patient',
    'disclosure.code': 'Treatment code',
    'disclosure.randomizedAt': 'Randomized',
    'disclosure.treatment': 'Treatment received',
    'disclosure.inError': 'randomized in error',
    'disclosure.noPatients': 'No randomized patient at this site.',
  },
  fr: {
    confirmation:
      "La levée d'insu pour la pharmacovigilance a été transmise au destinataire désigné. Le bras de traitement ne vous est pas communiqué, ni à l'équipe de l'étude.",
    'recipient.role': 'Pharmacovigilance (dans blindrand)',
    'recipient.email': 'Adresse de vigilance désignée (courriel)',
    'notice.confirm.title':
      "Levée d'insu pour la pharmacovigilance du patient {patient} (centre {site}) transmise au destinataire désigné",
    'notice.confirm.body':
      "{requester} a demandé une levée d'insu du patient {patient} (centre {site}) pour une déclaration de pharmacovigilance. Le bras de traitement a été transmis au seul destinataire désigné ; il n'est pas communiqué à l'équipe de l'étude et le patient reste en aveugle pour l'essai.",
    'mail.confirm.subject':
      "[blindrand] Une levée d'insu pour la pharmacovigilance a été transmise au destinataire désigné",
    'mail.confirm.text':
      "Une levée d'insu pour la pharmacovigilance a été transmise au destinataire désigné. Le bras de traitement n'est pas communiqué à l'équipe de l'étude.\n\nConnectez-vous à blindrand pour consulter l'enregistrement.\nRéférence : {reference}\n",
    'notice.pv.title':
      "Levée d'insu pour la pharmacovigilance du patient {patient} (centre {site}) : le bras de traitement vous est accessible",
    'notice.pv.body':
      "{requester} a demandé une levée d'insu du patient {patient} (centre {site}) pour une déclaration de pharmacovigilance. Motif indiqué : {reason}. Ouvrez « Levées d'insu pour la vigilance » pour consulter le bras de traitement ; chaque consultation est tracée.",
    'mail.pv.subject': "[blindrand] Une levée d'insu pour la pharmacovigilance vous attend",
    'mail.pv.text':
      "Une levée d'insu pour une déclaration de pharmacovigilance vous attend.\n\nConnectez-vous à blindrand pour la consulter ; chaque consultation est tracée.\nRéférence : {reference}\n",
    'mail.recipient.subject': "[blindrand] Levée d'insu pour la pharmacovigilance, étude {study}, patient {patient}",
    'mail.recipient.text':
      "Levée d'insu pour une déclaration de pharmacovigilance (ICH E6(R3) 3.15.2).\nCe message est destiné au seul destinataire désigné pour la vigilance : ne le transférez pas à l'équipe de l'étude, qui reste en aveugle.\n\nÉtude : {study}\nPatient : {patient} (centre {site})\nNuméro de randomisation : {randomizationNumber}\nCode de traitement : {treatmentCode}\nBras de traitement : {allocation}\n{periods}\n\nMotif indiqué : {reason}\nRéférence de la déclaration : {reportReference}\nDemandé par : {requester}, {at}\nRéférence blindrand : {reference}\n",
    'mail.recipient.allocation': '{armLabel} ({arm})',
    'mail.recipient.period': 'Période {period} ({label}) : {product}',
    'mail.recipient.none': 'non indiquée',
    'notice.inadvertent.title': "Levée d'insu involontaire déclarée pour {patients}",
    'notice.inadvertent.body':
      "{reporter} a déclaré une levée d'insu involontaire survenue le {date} (patients {patients}). Ouvrez « Levées d'insu involontaires » pour lire la déclaration.",
    'mail.inadvertent.subject': "[blindrand] Une levée d'insu involontaire a été déclarée",
    'mail.inadvertent.text':
      "Une levée d'insu involontaire a été déclarée.\n\nConnectez-vous à blindrand pour lire la déclaration.\nRéférence : {reference}\n",
    'nav.safety': "Levée d'insu (vigilance)",
    'nav.inadvertent': "Levées d'insu involontaires",
    'nav.inadvertentReport': "Déclarer une levée d'insu involontaire",
    'nav.disclosure': "Traitements reçus (fin d'étude)",
    'page.title': "Levée d'insu pour la vigilance",
    'page.intro.request':
      "Pour une déclaration de pharmacovigilance (EIGI/SUSAR) : le bras de traitement est transmis au seul destinataire désigné. Vous et l'équipe de l'étude recevez une confirmation, jamais le bras.",
    'page.intro.pv':
      "Levées d'insu adressées à la pharmacovigilance. Chaque consultation d'un bras de traitement est tracée dans le registre des levées d'insu et la piste d'audit.",
    'page.intro.read':
      "Levées d'insu pour la vigilance et leur destinataire ; les bras de traitement ne sont jamais affichés ici.",
    'page.disabled':
      "Le protocole ne désigne aucun destinataire pour la vigilance : la levée d'insu pour la pharmacovigilance n'est pas disponible dans cette étude.",
    'form.title': "Demander une levée d'insu pour la vigilance",
    'form.patient': 'Patient',
    'form.choosePatient': 'Choisissez un patient randomisé',
    'form.reason': 'Motif de vigilance',
    'form.reasonHint':
      "Décrivez l'événement (par ex. suspicion d'effet indésirable grave et inattendu). Ne nommez aucun traitement.",
    'form.reportReference': 'Référence de la déclaration (facultatif)',
    'form.recipient': 'Transmis à',
    'form.submit': 'Signer et envoyer…',
    'sign.title': "Signer la levée d'insu pour la vigilance",
    'sign.record': "Levée d'insu pour la vigilance du patient {patient} : {reason}",
    'sign.action': 'Signer et envoyer',
    'table.requested': 'Demandée le',
    'table.patient': 'Patient',
    'table.by': 'Par',
    'table.reason': 'Motif',
    'table.reference': 'Référence de la déclaration',
    'table.recipient': 'Transmis à',
    'table.viewed': 'Consulté par la pharmacovigilance',
    'table.notViewed': 'pas encore',
    'table.views': '{count} consultation(s), la première le {at}',
    'table.action': 'Action',
    empty: "Aucune levée d'insu pour la vigilance pour l'instant.",
    'reveal.button': 'Voir le bras de traitement',
    'reveal.heading':
      'Bras de traitement du patient {patient} : réservé à la pharmacovigilance ; cette consultation est tracée.',
    'reveal.arm': 'Bras',
    'reveal.sequence': 'Séquence',
    'reveal.product': 'Produit',
    'reveal.seen': 'Consulté le',
    'inadvertent.title': "Levées d'insu involontaires",
    'inadvertent.intro':
      "Déclarations signées de levées d'insu non prévues (ICH E6(R3) 4.1.4) : qui, quels patients, comment, impact et mesures correctives.",
    'inadvertent.new': "Déclarer une levée d'insu involontaire",
    'inadvertent.formIntro':
      "Déclarez une levée d'insu non prévue. Rédigez sans nommer de traitement : des personnes en aveugle liront cette déclaration.",
    'inadvertent.patients': 'Patients concernés',
    'inadvertent.patientIds': 'Identifiants des patients (un par ligne)',
    'inadvertent.patientIdsHint':
      'Votre rôle ne permet pas de lister les patients : collez les identifiants transmis par le centre.',
    'inadvertent.occurredOn': "Date de l'événement",
    'inadvertent.how': 'Circonstances',
    'inadvertent.who': 'Personnes ayant eu connaissance du traitement',
    'inadvertent.impact': "Évaluation de l'impact",
    'inadvertent.corrective': 'Actions correctives et préventives',
    'inadvertent.submit': 'Signer la déclaration…',
    'inadvertent.sign.title': "Signer la déclaration de levée d'insu involontaire",
    'inadvertent.sign.record': "Levée d'insu involontaire du {date}, patients {patients}",
    'inadvertent.sign.action': 'Signer la déclaration',
    'inadvertent.done':
      'La déclaration a été signée et enregistrée. Les moniteurs médicaux et les auditeurs sont prévenus.',
    'inadvertent.reportedBy': 'Déclarée par',
    'inadvertent.empty': "Aucune levée d'insu involontaire n'a été déclarée.",
    'disclosure.title': "Communication des traitements en fin d'étude",
    'disclosure.intro':
      "Le traitement reçu par chaque patient, par centre, après la levée d'insu de fin d'étude. L'édition de ce rapport est tracée.",
    'disclosure.print': 'Imprimer',
    'disclosure.site': 'Centre {site} : {name}',
    'disclosure.generated': 'Édité le {at} par {name}',
    'disclosure.number': 'N° de rand.',
    'disclosure.screening': 'Patient',
    'disclosure.code': 'Code de traitement',
    'disclosure.randomizedAt': 'Randomisé le',
    'disclosure.treatment': 'Traitement reçu',
    'disclosure.inError': 'randomisé par erreur',
    'disclosure.noPatients': 'Aucun patient randomisé dans ce centre.',
  },
};
