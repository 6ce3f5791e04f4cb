import type { Namespace } from './types.js';

/**
 * Catalogue namespace "emergency" (see shared/i18n/catalogue.ts): emergency unblinding at the
 * patient, escalation, the emergency card, pharmacy preparation notices, summaries before
 * irreversible steps. Never an arm or product name in any of them: the readers are mostly blinded.
 */
export const emergency: Namespace = {
  en: {
    // escalation notices (server)
    'escalated.requester-open.title':
      'Patient {screening} (site {site}): no monitor decided in time, the allocation is open to you',
    'escalated.requester-open.body':
      "Nobody decided your unblinding request for patient {screening} (site {site}) within {minutes} minutes. Under the protocol's escalation rule the blind may now be broken: open the patient's page to view the allocation. The medical monitors will review the request afterwards.",
    'escalated.monitors-open.title':
      'Unblinding request for patient {screening} (site {site}) escalated to break-the-glass',
    'escalated.monitors-open.body':
      "The request of {requester} for patient {screening} (site {site}) was not decided within {minutes} minutes; under the protocol's escalation rule the allocation is now open to the requester. Please review the request.",
    'escalated.backup.title': 'Urgent: unblinding request for patient {screening} (site {site}) needs a backup monitor',
    'escalated.backup.body':
      'The request of {requester} for patient {screening} (site {site}) was not decided within {minutes} minutes. As a backup medical monitor, please decide it now.',
    'escalated.requester-backup.title':
      'Your unblinding request for patient {screening} (site {site}) was escalated to a backup monitor',
    'escalated.requester-backup.body':
      'Nobody decided your request for patient {screening} (site {site}) within {minutes} minutes; the backup medical monitors were alerted. Call the 24/7 contacts if the patient cannot wait.',
    'mail.escalated.subject': '[blindrand] An unblinding request was escalated',
    'mail.escalated.text':
      'An unblinding request was not decided in time and was escalated.\n\nSign in to blindrand to view it.',
    'mail.reference': 'Request reference: {id}',
    'mail.open': 'Open in blindrand: {url}',
    // pharmacy preparation notice (server; unblinded recipients only)
    'pharmacy.title': 'Prepare for patient {screening} (site {site}), code {code}',
    'pharmacy.body':
      'Patient {screening} (site {site}) was randomized: number {number}, treatment code {code}. To prepare: {plan}.',
    'pharmacy.period': '{period}: {product}, due {from} to {by}',
    'pharmacy.periodUndated': '{period}: {product}',
    'pharmacy.mail.subject': '[blindrand] A patient was randomized: preparation needed',
    'pharmacy.mail.text':
      'Patient {screening} (site {site}) was randomized with treatment code {code}. Sign in to blindrand to see what to prepare.',
    'section.title': 'Emergency unblinding',
    'section.none': 'No unblinding request for this patient.',
    'section.request': 'Request emergency unblinding…',
    'section.open':
      'An unblinding request for this patient is already open: follow it here rather than typing a new one.',
    'section.card': 'Emergency card…',
    'section.live': 'This section updates every 10 seconds while a request is pending.',
    'field.status': 'Status',
    'field.requested': 'Requested',
    'field.by': 'Requested by',
    'field.site': 'Site',
    'field.reason': 'Reason',
    'field.decision': 'Decision',
    'field.escalation': 'If nobody decides',
    'field.approvals': 'Approvals',
    approvals: '{approvals} of {required}',
    'escalation.at.break-the-glass': 'the allocation opens to you automatically (break-the-glass) at',
    'escalation.at.backup-monitor': 'the backup medical monitors are alerted at',
    'escalated.break-the-glass':
      'Escalated to break-the-glass: no monitor decided in time. The allocation is open to the requester and will be reviewed.',
    'escalated.backup-monitor': 'Escalated to the backup medical monitors: no monitor decided in time.',
    'state.pending': "Waiting for the medical monitor's decision.",
    'state.approved': 'Approved: you may see the allocation.',
    'state.denied': 'Denied: the allocation stays blinded.',
    'state.revealed': 'Revealed to the requester. The patient is marked unblinded.',
    'reveal.button': 'Show the allocation',
    'reveal.again': 'Show the allocation again',
    'reveal.hide': 'Hide the allocation',
    'reveal.title': 'Allocation of patient {screening} (site {site}) — for you only; each viewing is recorded.',
    'reveal.arm': 'Arm',
    'reveal.sequence': 'Sequence',
    'reveal.product': 'Product',
    'reveal.seen': 'Seen',
    'reveal.view': 'view {count}',
    'reveal.notMine': 'Only the investigator who made the request can see the allocation.',
    'flash.sent': 'Unblinding request sent to the medical monitor. Its state is shown below.',
    'flash.open':
      "Unblinding request recorded and open at once under the protocol's policy: show the allocation below.",
    'sign.title': 'Sign the unblinding request',
    'sign.record': 'Unblinding request for patient {screening} (site {site}): “{reason}”',
    'sign.action': 'Sign and send request',
    'dialog.title': 'Request emergency unblinding — patient {screening} (site {site})',
    'dialog.policy.break-the-glass':
      'The allocation is revealed to you at once; the medical monitor is notified and reviews it afterwards.',
    'dialog.policy.monitor-approval':
      'The medical monitor approves or denies the request; you are notified and can then see the allocation on this page.',
    'dialog.policy.two-person':
      'Two approvers must approve the request before you can see the allocation on this page.',
    'dialog.response.break-the-glass':
      'Expected response: a medical monitor decides within {minutes} minutes; otherwise the allocation opens to you automatically (break-the-glass) and is reviewed afterwards.',
    'dialog.response.backup-monitor':
      'Expected response: a medical monitor decides within {minutes} minutes; otherwise the backup medical monitors are alerted.',
    'dialog.contacts': '24/7 emergency contacts — call if the patient cannot wait',
    'dialog.onlyYou':
      "Only you will see this patient's allocation; the patient is marked unblinded and the access is recorded in the unblinding register.",
    'dialog.reason': 'Reason',
    'dialog.emergency': 'This is a medical emergency',
    'dialog.cancel': 'Cancel',
    'dialog.continue': 'Continue to signature',
    'dialog.reasonHint': 'At least 10 characters. Do not name a treatment.',
    'card.title': 'Emergency card',
    'card.intro':
      'Print at 100 % scale, cut along the border and give it to the patient to keep in their wallet. It carries no treatment information.',
    'card.print': 'Print the card',
    'card.back': 'Back to the patient',
    'card.heading': 'Clinical trial participant — emergency card',
    'card.patient': 'Patient',
    'card.code': 'Treatment code',
    'card.study': 'Study',
    'card.site': 'Site',
    'card.call': 'In an emergency, call 24/7:',
    'card.blinded': 'Blinded treatment: do not stop it without calling.',
    'card.qr': "Investigators: scan to open this patient's emergency unblinding page (sign-in required).",
    'card.qrAlt': 'QR code opening the emergency unblinding page of patient {screening}',
    'card.loading': 'Preparing the card…',
    'queue.live': 'This list updates every 10 seconds while the page is open.',
    'queue.escalated': 'escalated',
    'decision.requester': 'Requested by',
    'decision.site': 'Site',
    'decision.time': 'Requested at',
    'decision.patient': 'Patient',
    'decision.escalated': 'Escalation',
    'notifications.open': 'Open',
    'notifications.openLabel': 'Open: {title}',
    'tasks.site': 'Site',
    'tasks.patient': 'Patient',
    'tasks.due': 'Due',
    'tasks.window': '{from} to {by}',
    'tasks.undated': 'no timing in the protocol',
    'tasks.notYet': 'not yet due',
    'tasks.dueNow': 'due now',
    'tasks.overdue': 'overdue',
    'activation.title': 'Activate the study',
    'activation.warnings':
      'The latest rehearsal of this list (v{version}, {patients} synthetic patients) had warnings:',
    'activation.exhausted': 'Stratum {stratum}: the list ran out at synthetic patient {at}.',
    'activation.clean': 'The latest rehearsal of this list ({patients} synthetic patients) raised no warning.',
    'activation.notRehearsed':
      "This list has not been rehearsed. A rehearsal shows whether a stratum's list runs out before real patients do.",
    'activation.override': 'Reason to activate despite these warnings (signed and kept in the audit trail)',
    'activation.continue': 'Continue to signature',
    'activation.cancel': 'Cancel',
    'activation.irreversible': 'Activation freezes the list and publishes its fingerprint; it cannot be undone.',
    'lock.title': 'Lock the database',
    'lock.irreversible':
      'After the lock, randomization, dispensing, corrections and unblinding requests are closed for good.',
    'lock.openRequests': 'Open unblinding requests: {count}',
    'lock.undispensed': 'Preparations not dispensed: {count}',
    'lock.request': 'Patient {screening} (site {site}): {status}, requested by {name}',
    'lock.task': 'Patient {screening} (site {site}), {period}',
    'lock.more': 'and {count} more',
    'lock.continue': 'Continue to signature',
    'lock.cancel': 'Cancel',
    'import.problems': 'The list was not imported. Problems by line:',
    'import.line': 'Line {line}',
    'import.noLine': 'Whole list',
  },
  fr: {
    'escalated.requester-open.title':
      "Patient {screening} (site {site}) : aucun moniteur n'a décidé à temps, l'allocation vous est ouverte",
    'escalated.requester-open.body':
      "Personne n'a statué sur votre demande de levée d'aveugle pour le patient {screening} (site {site}) dans un délai de {minutes} minutes. Selon la règle d'escalade du protocole, l'aveugle peut maintenant être levé : ouvrez la fiche du patient pour consulter l'allocation. Les moniteurs médicaux examineront la demande a posteriori.",
    'escalated.monitors-open.title':
      "Demande de levée d'aveugle pour le patient {screening} (site {site}) escaladée en levée immédiate",
    'escalated.monitors-open.body':
      "La demande de {requester} pour le patient {screening} (site {site}) n'a pas été traitée dans un délai de {minutes} minutes ; selon la règle d'escalade du protocole, l'allocation est maintenant ouverte au demandeur. Merci d'examiner la demande.",
    'escalated.backup.title':
      "Urgent : la demande de levée d'aveugle pour le patient {screening} (site {site}) attend un moniteur suppléant",
    'escalated.backup.body':
      "La demande de {requester} pour le patient {screening} (site {site}) n'a pas été traitée dans un délai de {minutes} minutes. En tant que moniteur médical suppléant, merci de statuer maintenant.",
    'escalated.requester-backup.title':
      "Votre demande de levée d'aveugle pour le patient {screening} (site {site}) a été transmise à un moniteur suppléant",
    'escalated.requester-backup.body':
      "Personne n'a statué sur votre demande pour le patient {screening} (site {site}) dans un délai de {minutes} minutes ; les moniteurs médicaux suppléants ont été alertés. Appelez les contacts joignables 24 h/24 si le patient ne peut pas attendre.",
    'mail.escalated.subject': "[blindrand] Une demande de levée d'aveugle a été escaladée",
    'mail.escalated.text':
      "Une demande de levée d'aveugle n'a pas été traitée à temps et a été escaladée.\n\nConnectez-vous à blindrand pour la consulter.",
    'mail.reference': 'Référence de la demande : {id}',
    'mail.open': 'Ouvrir dans blindrand : {url}',
    'pharmacy.title': 'À préparer pour le patient {screening} (site {site}), code {code}',
    'pharmacy.body':
      'Le patient {screening} (site {site}) a été randomisé : numéro {number}, code de traitement {code}. À préparer : {plan}.',
    'pharmacy.period': '{period} : {product}, à délivrer du {from} au {by}',
    'pharmacy.periodUndated': '{period} : {product}',
    'pharmacy.mail.subject': '[blindrand] Un patient a été randomisé : préparation à prévoir',
    'pharmacy.mail.text':
      "Le patient {screening} (site {site}) a été randomisé avec le code de traitement {code}. Connectez-vous à blindrand pour voir ce qu'il faut préparer.",
    'section.title': "Levée d'aveugle en urgence",
    'section.none': "Aucune demande de levée d'aveugle pour ce patient.",
    'section.request': "Demander une levée d'aveugle en urgence…",
    'section.open':
      "Une demande de levée d'aveugle est déjà ouverte pour ce patient : suivez-la ici plutôt que d'en saisir une nouvelle.",
    'section.card': "Carte d'urgence…",
    'section.live': "Cette section se met à jour toutes les 10 secondes tant qu'une demande est en attente.",
    'field.status': 'Statut',
    'field.requested': 'Demandée le',
    'field.by': 'Demandée par',
    'field.site': 'Site',
    'field.reason': 'Motif',
    'field.decision': 'Décision',
    'field.escalation': 'Sans décision',
    'field.approvals': 'Approbations',
    approvals: '{approvals} sur {required}',
    'escalation.at.break-the-glass': "l'allocation vous sera ouverte automatiquement (levée immédiate) le",
    'escalation.at.backup-monitor': 'les moniteurs médicaux suppléants seront alertés le',
    'escalated.break-the-glass':
      "Escaladée en levée immédiate : aucun moniteur n'a décidé à temps. L'allocation est ouverte au demandeur et sera examinée a posteriori.",
    'escalated.backup-monitor': "Transmise aux moniteurs médicaux suppléants : aucun moniteur n'a décidé à temps.",
    'state.pending': 'En attente de la décision du moniteur médical.',
    'state.approved': "Approuvée : vous pouvez consulter l'allocation.",
    'state.denied': "Refusée : l'allocation reste en aveugle.",
    'state.revealed': "Révélée au demandeur. Le patient est marqué comme levé d'aveugle.",
    'reveal.button': "Afficher l'allocation",
    'reveal.again': "Afficher de nouveau l'allocation",
    'reveal.hide': "Masquer l'allocation",
    'reveal.title':
      'Allocation du patient {screening} (site {site}) — pour vous seul ; chaque consultation est enregistrée.',
    'reveal.arm': 'Bras',
    'reveal.sequence': 'Séquence',
    'reveal.product': 'Produit',
    'reveal.seen': 'Consultée le',
    'reveal.view': 'consultation {count}',
    'reveal.notMine': "Seul l'investigateur qui a fait la demande peut consulter l'allocation.",
    'flash.sent': "Demande de levée d'aveugle envoyée au moniteur médical. Son état est affiché ci-dessous.",
    'flash.open':
      "Demande de levée d'aveugle enregistrée et ouverte immédiatement selon la règle du protocole : affichez l'allocation ci-dessous.",
    'sign.title': "Signer la demande de levée d'aveugle",
    'sign.record': "Demande de levée d'aveugle pour le patient {screening} (site {site}) : « {reason} »",
    'sign.action': 'Signer et envoyer la demande',
    'dialog.title': "Demander une levée d'aveugle en urgence — patient {screening} (site {site})",
    'dialog.policy.break-the-glass':
      "L'allocation vous est révélée immédiatement ; le moniteur médical est prévenu et l'examine a posteriori.",
    'dialog.policy.monitor-approval':
      "Le moniteur médical approuve ou refuse la demande ; vous êtes prévenu et pouvez alors consulter l'allocation sur cette page.",
    'dialog.policy.two-person':
      "Deux approbateurs doivent approuver la demande avant que vous puissiez consulter l'allocation sur cette page.",
    'dialog.response.break-the-glass':
      "Délai de réponse attendu : un moniteur médical statue sous {minutes} minutes ; à défaut, l'allocation vous est ouverte automatiquement (levée immédiate) et examinée a posteriori.",
    'dialog.response.backup-monitor':
      'Délai de réponse attendu : un moniteur médical statue sous {minutes} minutes ; à défaut, les moniteurs médicaux suppléants sont alertés.',
    'dialog.contacts': "Contacts d'urgence 24 h/24 — appelez si le patient ne peut pas attendre",
    'dialog.onlyYou':
      "Vous seul verrez l'allocation de ce patient ; le patient est marqué comme levé d'aveugle et l'accès est inscrit au registre des levées d'aveugle.",
    'dialog.reason': 'Motif',
    'dialog.emergency': "Il s'agit d'une urgence médicale",
    'dialog.cancel': 'Annuler',
    'dialog.continue': 'Passer à la signature',
    'dialog.reasonHint': 'Au moins 10 caractères. Ne nommez aucun traitement.',
    'card.title': "Carte d'urgence",
    'card.intro':
      "Imprimez à l'échelle 100 %, découpez le long du bord et remettez-la au patient pour son portefeuille. Elle ne porte aucune information sur le traitement.",
    'card.print': 'Imprimer la carte',
    'card.back': 'Retour au patient',
    'card.heading': "Participant à un essai clinique — carte d'urgence",
    'card.patient': 'Patient',
    'card.code': 'Code de traitement',
    'card.study': 'Étude',
    'card.site': 'Site',
    'card.call': "En cas d'urgence, appelez 24 h/24 :",
    'card.blinded': "Traitement en aveugle : ne pas l'interrompre sans appeler.",
    'card.qr': "Investigateurs : scannez pour ouvrir la page de levée d'aveugle de ce patient (connexion requise).",
    'card.qrAlt': "QR code ouvrant la page de levée d'aveugle du patient {screening}",
    'card.loading': 'Préparation de la carte…',
    'queue.live': 'Cette liste se met à jour toutes les 10 secondes tant que la page est ouverte.',
    'queue.escalated': 'escalade',
    'decision.requester': 'Demandée par',
    'decision.site': 'Site',
    'decision.time': 'Demandée le',
    'decision.patient': 'Patient',
    'decision.escalated': 'Escalade',
    'notifications.open': 'Ouvrir',
    'notifications.openLabel': 'Ouvrir : {title}',
    'tasks.site': 'Site',
    'tasks.patient': 'Patient',
    'tasks.due': 'À délivrer',
    'tasks.window': 'du {from} au {by}',
    'tasks.undated': 'pas de calendrier dans le protocole',
    'tasks.notYet': 'pas encore dû',
    'tasks.dueNow': 'à délivrer maintenant',
    'tasks.overdue': 'en retard',
    'activation.title': "Activer l'étude",
    'activation.warnings':
      'La dernière répétition de cette liste (v{version}, {patients} patients fictifs) a produit des avertissements :',
    'activation.exhausted': 'Strate {stratum} : la liste a été épuisée au patient fictif {at}.',
    'activation.clean':
      "La dernière répétition de cette liste ({patients} patients fictifs) n'a produit aucun avertissement.",
    'activation.notRehearsed':
      "Cette liste n'a pas été répétée. Une répétition montre si la liste d'une strate s'épuise avant les vrais patients.",
    'activation.override': "Motif d'activation malgré ces avertissements (signé et conservé dans la piste d'audit)",
    'activation.continue': 'Passer à la signature',
    'activation.cancel': 'Annuler',
    'activation.irreversible': "L'activation fige la liste et publie son empreinte ; elle est irréversible.",
    'lock.title': 'Verrouiller la base de données',
    'lock.irreversible':
      "Après le verrouillage, la randomisation, la délivrance, les corrections et les demandes de levée d'aveugle sont définitivement fermées.",
    'lock.openRequests': "Demandes de levée d'aveugle ouvertes : {count}",
    'lock.undispensed': 'Préparations non délivrées : {count}',
    'lock.request': 'Patient {screening} (site {site}) : {status}, demandée par {name}',
    'lock.task': 'Patient {screening} (site {site}), {period}',
    'lock.more': 'et {count} de plus',
    'lock.continue': 'Passer à la signature',
    'lock.cancel': 'Annuler',
    'import.problems': "La liste n'a pas été importée. Problèmes par ligne :",
    'import.line': 'Ligne {line}',
    'import.noLine': 'Liste entière',
  },
};
