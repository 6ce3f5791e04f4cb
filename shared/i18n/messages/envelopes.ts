import type { Namespace } from './types.js';

/** Catalogue namespace "envelopes" (see shared/i18n/catalogue.ts): downtime envelopes, console, printed sheets and server errors. */
export const envelopes: Namespace = {
  en: {
    // Signature meanings of this feature's acts (shared/signature-meanings.ts has the canonical English)
    'meaning.reserveEnvelopes': 'I reserve these list entries as sealed downtime envelopes for this site and stratum',
    'meaning.reconcileEnvelope':
      'I confirm that this patient met the eligibility criteria and was randomized with this envelope, opened at the time stated',
    'meaning.voidEnvelopes': 'I void these unused downtime envelopes: they will never be used',
    // One sentence per error code (the console shows it in the reader's language)
    'code.ENVELOPE_UNKNOWN':
      'No downtime envelope of this study has that number (or it is not one of your sites). Check the number printed on the envelope.',
    'code.ENVELOPE_CODE_MISMATCH':
      'The treatment code does not match the one sealed in this envelope. Nothing was recorded; read the code again from the sheet.',
    'code.ENVELOPE_WRONG_SITE': 'This envelope belongs to another site; it cannot be used for this patient.',
    'code.ENVELOPE_WRONG_STRATUM':
      "This envelope is for another stratum than the patient's. Check the patient's screening answers or take the envelope of the right stratum.",
    'code.ENVELOPE_ALREADY_USED': 'This envelope was already used for another patient.',
    'code.ENVELOPE_VOIDED': 'This envelope was voided and cannot be used.',
    'code.ENVELOPE_OUT_OF_ORDER':
      'Envelopes of a site and stratum are used in order: enter the earlier envelope first (or void it), and check the opening times.',
    'code.ENVELOPE_TAMPERED':
      'This envelope no longer matches its commitment in the audit trail. Nothing was recorded; tell the trial statistician.',
    'code.ENVELOPES_NOT_AVAILABLE':
      'Envelopes cannot be reserved as asked: the stratum has too few free entries, is already reserved, or the scheme has no list.',
    // Server errors (codes ENVELOPE_* and friends, docs/DOWNTIME.md)
    'error.unknown':
      'No downtime envelope number {number} exists for this study (or it is not one of your sites). Check the number printed on the envelope.',
    'error.codeMismatch':
      'The treatment code entered is not the one sealed in envelope {number}. Nothing was recorded; read the code again from the sheet.',
    'error.wrongSite': 'Envelope {number} belongs to site {site}; it cannot be used for a patient of another site.',
    'error.wrongStratum':
      "Envelope {number} is for another stratum than the patient's. Check the patient's screening answers or take the envelope of the right stratum.",
    'error.alreadyUsed': 'Envelope {number} was already used for another patient.',
    'error.voided': 'Envelope {number} was voided and cannot be used.',
    'error.outOfOrder': 'Envelopes are used in order: enter envelope {earlier} (or void it) before envelope {number}.',
    'error.openedBefore':
      'Envelope {number} cannot have been opened before envelope {earlier} of the same site and stratum. Check the opening times.',
    'error.openedAtRange':
      'The opening time must lie between the activation of the study ({activatedAt}) and now ({now}).',
    'error.tampered':
      'Envelope {number} no longer matches the commitment recorded in the audit trail when it was reserved. Nothing was recorded; tell the trial statistician.',
    'error.notInSetup': 'Envelopes can only be reserved before activation; the study is {status}.',
    'error.noScheme': 'Generate or import the allocation list before reserving envelopes.',
    'error.liveScheme':
      'This scheme decides each allocation live (dynamic method): there is no list to put in envelopes.',
    'error.unknownSite': 'There is no site {site}.',
    'error.unknownStratum': 'Stratum {stratum} is not a stratum of site {site} in this list.',
    'error.alreadyReserved': 'Envelopes were already reserved for site {site} in stratum {stratum}.',
    'error.tooMany':
      'Stratum {stratum} cannot give {count} envelopes: {free} list entries are free (one always stays online).',
    'error.printForbidden': 'Your role cannot print this copy of the envelopes.',
    'error.notFound': 'The envelope was not found.',
    'error.nothingToPrint': 'There is no unused envelope to print.',
    'error.voidForbidden': 'Your role cannot void envelopes.',
    'error.voidWhich': 'Name the envelopes to void, or the site whose remaining envelopes are voided.',
    'error.nothingToVoid': 'Site {site} has no unused envelope left.',
    // Console: the envelopes page
    nav: 'Downtime envelopes',
    title: 'Downtime envelopes',
    intro:
      "Sealed emergency envelopes let a site randomize while blindrand is down (EU GMP Annex 11 §16). Each envelope owns one entry at the end of its stratum's list; when the system is back, every used envelope is entered here, and unused ones are voided.",
    empty: 'No envelope has been reserved.',
    'col.number': 'Envelope',
    'col.site': 'Site',
    'col.stratum': 'Stratum',
    'col.order': 'Order',
    'col.status': 'Status',
    'col.printed': 'Printed',
    'col.patient': 'Patient',
    'col.opened': 'Opened',
    'col.arm': 'Arm',
    order: '{ordinal} of {of}',
    'status.reserved': 'reserved',
    'status.used': 'used',
    'status.voided': 'voided',
    randno: 'No. {number}',
    'reserve.title': 'Reserve envelopes',
    'reserve.help':
      'Before activation only. For each stratum of the site, the last entries of the list become numbered envelopes; the online list stops before them. A multiple of the block size keeps both parts balanced.',
    'reserve.site': 'Site',
    'reserve.count': 'Envelopes per stratum',
    'reserve.submit': 'Reserve and sign',
    'reserve.done': '{count} envelopes reserved.',
    'print.investigator': 'Print investigator copies',
    'print.pharmacy': 'Print pharmacy copies',
    'reconcile.title': 'Enter a used envelope',
    'reconcile.help':
      'For each envelope opened while the system was down, in envelope order: register the patient with the screening answers recorded on paper, then enter the envelope.',
    'reconcile.patient': 'Patient (eligible, not randomized)',
    'reconcile.number': 'Envelope number',
    'reconcile.code': 'Treatment code (under the seal)',
    'reconcile.openedAt': 'Opened at (your local time)',
    'reconcile.openedBy': 'Opened by',
    'reconcile.submit': 'Enter and sign',
    'reconcile.done': 'Envelope {number} entered: randomization number {randno}.',
    'reconcile.none': 'No eligible patient waits for randomization at your sites.',
    'void.title': 'Void unused envelopes',
    'void.help':
      "Void the envelopes that will not be used (destroy the paper). A voided envelope's entry is never given to another patient.",
    'void.selected': 'Void selected',
    'void.site': 'Void all remaining of site {site}',
    'void.reason': 'Reason',
    'void.done': '{count} envelopes voided.',
    'void.pick': 'Select',
    // Printed sheets
    'sheets.title': 'Envelope sheets',
    'sheets.print': 'Print',
    'sheets.back': 'Back to envelopes',
    'sheets.count': '{count} sheets, one envelope per page.',
    'sheet.heading': 'Downtime randomization envelope',
    'sheet.number': 'Envelope No. {number}',
    'sheet.order': 'Envelope {ordinal} of {of} for this site and stratum',
    'sheet.study': 'Study',
    'sheet.site': 'Site',
    'sheet.stratum': 'Stratum',
    'sheet.copy.investigator': 'Investigator copy — contains no treatment arm',
    'sheet.copy.pharmacy': 'Pharmacy copy — UNBLINDED: keep in the pharmacy, never give to the study team',
    'sheet.instructions': 'Instructions',
    'sheet.step1': 'Open only when blindrand is down and a patient must be randomized now.',
    'sheet.step2': "Use the envelopes of the patient's site and stratum in order: lowest number first.",
    'sheet.step3': 'Check eligibility on paper and write the answers down: they are entered when the system is back.',
    'sheet.step4': 'Scratch off the panel, write the patient, the time and your name below, and sign.',
    'sheet.step5': 'When the system is back, enter this envelope in blindrand (Downtime envelopes) the same day.',
    'sheet.panel': 'Open only when the system is down',
    'sheet.panelHint': 'Tamper-evident panel: cover with a scratch-off seal before distribution.',
    'sheet.code': 'Treatment code',
    'sheet.arm': 'Arm',
    'sheet.period': 'Period {period}: {product}',
    'sheet.fill.patient': 'Patient (screening number)',
    'sheet.fill.openedAt': 'Opened on (date, time)',
    'sheet.fill.openedBy': 'Opened by (name)',
    'sheet.fill.signature': 'Signature',
    'sheet.seal': 'Commitment {prefix}… (audit trail)',
    'sheet.printed': 'Printed {at} by {name}',
  },
  fr: {
    'meaning.reserveEnvelopes':
      'Je réserve ces entrées de la liste comme enveloppes de secours scellées pour ce centre et cette strate',
    'meaning.reconcileEnvelope':
      "Je confirme que ce patient remplissait les critères d'éligibilité et a été randomisé avec cette enveloppe, ouverte à l'heure indiquée",
    'meaning.voidEnvelopes': "J'annule ces enveloppes de secours inutilisées : elles ne seront jamais utilisées",
    'code.ENVELOPE_UNKNOWN':
      "Aucune enveloppe de secours de cette étude ne porte ce numéro (ou elle n'appartient pas à l'un de vos centres). Vérifiez le numéro imprimé sur l'enveloppe.",
    'code.ENVELOPE_CODE_MISMATCH':
      "Le code de traitement ne correspond pas à celui scellé dans cette enveloppe. Rien n'a été enregistré ; relisez le code sur la feuille.",
    'code.ENVELOPE_WRONG_SITE':
      'Cette enveloppe appartient à un autre centre ; elle ne peut pas servir pour ce patient.',
    'code.ENVELOPE_WRONG_STRATUM':
      "Cette enveloppe correspond à une autre strate que celle du patient. Vérifiez les réponses de sélection ou prenez l'enveloppe de la bonne strate.",
    'code.ENVELOPE_ALREADY_USED': 'Cette enveloppe a déjà été utilisée pour un autre patient.',
    'code.ENVELOPE_VOIDED': 'Cette enveloppe a été annulée et ne peut plus être utilisée.',
    'code.ENVELOPE_OUT_OF_ORDER':
      "Les enveloppes d'un centre et d'une strate s'utilisent dans l'ordre : saisissez d'abord l'enveloppe précédente (ou annulez-la), et vérifiez les heures d'ouverture.",
    'code.ENVELOPE_TAMPERED':
      "Cette enveloppe ne correspond plus à son engagement inscrit dans la piste d'audit. Rien n'a été enregistré ; prévenez le statisticien de l'essai.",
    'code.ENVELOPES_NOT_AVAILABLE':
      "Les enveloppes ne peuvent pas être réservées ainsi : la strate a trop peu d'entrées libres, elle est déjà réservée, ou le schéma n'a pas de liste.",
    'error.unknown':
      "Aucune enveloppe de secours n° {number} n'existe pour cette étude (ou elle n'appartient pas à l'un de vos centres). Vérifiez le numéro imprimé sur l'enveloppe.",
    'error.codeMismatch':
      "Le code de traitement saisi n'est pas celui scellé dans l'enveloppe {number}. Rien n'a été enregistré ; relisez le code sur la feuille.",
    'error.wrongSite':
      "L'enveloppe {number} appartient au centre {site} ; elle ne peut pas servir pour un patient d'un autre centre.",
    'error.wrongStratum':
      "L'enveloppe {number} correspond à une autre strate que celle du patient. Vérifiez les réponses de sélection du patient ou prenez l'enveloppe de la bonne strate.",
    'error.alreadyUsed': "L'enveloppe {number} a déjà été utilisée pour un autre patient.",
    'error.voided': "L'enveloppe {number} a été annulée et ne peut plus être utilisée.",
    'error.outOfOrder':
      "Les enveloppes s'utilisent dans l'ordre : saisissez l'enveloppe {earlier} (ou annulez-la) avant l'enveloppe {number}.",
    'error.openedBefore':
      "L'enveloppe {number} ne peut pas avoir été ouverte avant l'enveloppe {earlier} du même centre et de la même strate. Vérifiez les heures d'ouverture.",
    'error.openedAtRange':
      "L'heure d'ouverture doit se situer entre l'activation de l'étude ({activatedAt}) et maintenant ({now}).",
    'error.tampered':
      "L'enveloppe {number} ne correspond plus à l'engagement inscrit dans la piste d'audit lors de sa réservation. Rien n'a été enregistré ; prévenez le statisticien de l'essai.",
    'error.notInSetup':
      "Les enveloppes ne peuvent être réservées qu'avant l'activation ; l'étude est au statut {status}.",
    'error.noScheme': "Générez ou importez la liste d'allocation avant de réserver des enveloppes.",
    'error.liveScheme':
      "Ce schéma décide chaque allocation en direct (méthode dynamique) : il n'y a pas de liste à mettre sous enveloppe.",
    'error.unknownSite': "Le centre {site} n'existe pas.",
    'error.unknownStratum': "La strate {stratum} n'est pas une strate du centre {site} dans cette liste.",
    'error.alreadyReserved': 'Des enveloppes ont déjà été réservées pour le centre {site} dans la strate {stratum}.',
    'error.tooMany':
      'La strate {stratum} ne peut pas fournir {count} enveloppes : {free} entrées de la liste sont libres (une reste toujours en ligne).',
    'error.printForbidden': "Votre rôle ne permet pas d'imprimer cet exemplaire des enveloppes.",
    'error.notFound': "L'enveloppe est introuvable.",
    'error.nothingToPrint': "Il n'y a aucune enveloppe inutilisée à imprimer.",
    'error.voidForbidden': "Votre rôle ne permet pas d'annuler des enveloppes.",
    'error.voidWhich': 'Indiquez les enveloppes à annuler, ou le centre dont les enveloppes restantes sont annulées.',
    'error.nothingToVoid': "Le centre {site} n'a plus d'enveloppe inutilisée.",
    nav: 'Enveloppes de secours',
    title: 'Enveloppes de secours',
    intro:
      'Les enveloppes scellées de secours permettent à un centre de randomiser pendant une indisponibilité de blindrand (BPF UE annexe 11 §16). Chaque enveloppe détient une entrée en fin de liste de sa strate ; au retour du système, chaque enveloppe utilisée est saisie ici, et les enveloppes inutilisées sont annulées.',
    empty: "Aucune enveloppe n'a été réservée.",
    'col.number': 'Enveloppe',
    'col.site': 'Centre',
    'col.stratum': 'Strate',
    'col.order': 'Ordre',
    'col.status': 'Statut',
    'col.printed': 'Imprimée',
    'col.patient': 'Patient',
    'col.opened': 'Ouverte',
    'col.arm': 'Bras',
    order: '{ordinal} sur {of}',
    'status.reserved': 'réservée',
    'status.used': 'utilisée',
    'status.voided': 'annulée',
    randno: 'N° {number}',
    'reserve.title': 'Réserver des enveloppes',
    'reserve.help':
      "Avant l'activation uniquement. Pour chaque strate du centre, les dernières entrées de la liste deviennent des enveloppes numérotées ; la liste en ligne s'arrête avant elles. Un multiple de la taille de bloc garde les deux parties équilibrées.",
    'reserve.site': 'Centre',
    'reserve.count': 'Enveloppes par strate',
    'reserve.submit': 'Réserver et signer',
    'reserve.done': '{count} enveloppes réservées.',
    'print.investigator': "Imprimer les exemplaires de l'investigateur",
    'print.pharmacy': 'Imprimer les exemplaires de la pharmacie',
    'reconcile.title': 'Saisir une enveloppe utilisée',
    'reconcile.help':
      "Pour chaque enveloppe ouverte pendant l'indisponibilité, dans l'ordre des enveloppes : enregistrez le patient avec les réponses de sélection notées sur papier, puis saisissez l'enveloppe.",
    'reconcile.patient': 'Patient (éligible, non randomisé)',
    'reconcile.number': "Numéro de l'enveloppe",
    'reconcile.code': 'Code de traitement (sous le volet)',
    'reconcile.openedAt': 'Ouverte le (heure locale)',
    'reconcile.openedBy': 'Ouverte par',
    'reconcile.submit': 'Saisir et signer',
    'reconcile.done': 'Enveloppe {number} saisie : numéro de randomisation {randno}.',
    'reconcile.none': "Aucun patient éligible n'attend de randomisation dans vos centres.",
    'void.title': 'Annuler les enveloppes inutilisées',
    'void.help':
      "Annulez les enveloppes qui ne serviront pas (détruisez le papier). L'entrée d'une enveloppe annulée n'est jamais attribuée à un autre patient.",
    'void.selected': 'Annuler la sélection',
    'void.site': 'Annuler toutes les enveloppes restantes du centre {site}',
    'void.reason': 'Motif',
    'void.done': '{count} enveloppes annulées.',
    'void.pick': 'Sélectionner',
    'sheets.title': 'Feuilles des enveloppes',
    'sheets.print': 'Imprimer',
    'sheets.back': 'Retour aux enveloppes',
    'sheets.count': '{count} feuilles, une enveloppe par page.',
    'sheet.heading': 'Enveloppe de randomisation de secours',
    'sheet.number': 'Enveloppe n° {number}',
    'sheet.order': 'Enveloppe {ordinal} sur {of} pour ce centre et cette strate',
    'sheet.study': 'Étude',
    'sheet.site': 'Centre',
    'sheet.stratum': 'Strate',
    'sheet.copy.investigator': "Exemplaire de l'investigateur — ne contient aucun bras de traitement",
    'sheet.copy.pharmacy':
      "Exemplaire de la pharmacie — EN INSU LEVÉ : à conserver à la pharmacie, ne jamais remettre à l'équipe de l'étude",
    'sheet.instructions': 'Consignes',
    'sheet.step1': "N'ouvrir que si blindrand est indisponible et qu'un patient doit être randomisé immédiatement.",
    'sheet.step2':
      "Utiliser les enveloppes du centre et de la strate du patient dans l'ordre : le plus petit numéro d'abord.",
    'sheet.step3':
      "Vérifier l'éligibilité sur papier et noter les réponses : elles seront saisies au retour du système.",
    'sheet.step4': "Gratter le volet, inscrire ci-dessous le patient, l'heure et votre nom, puis signer.",
    'sheet.step5': 'Au retour du système, saisir cette enveloppe dans blindrand (Enveloppes de secours) le jour même.',
    'sheet.panel': "À n'ouvrir qu'en cas d'indisponibilité du système",
    'sheet.panelHint': "Volet inviolable : recouvrir d'une étiquette à gratter avant distribution.",
    'sheet.code': 'Code de traitement',
    'sheet.arm': 'Bras',
    'sheet.period': 'Période {period} : {product}',
    'sheet.fill.patient': 'Patient (numéro de sélection)',
    'sheet.fill.openedAt': 'Ouverte le (date, heure)',
    'sheet.fill.openedBy': 'Ouverte par (nom)',
    'sheet.fill.signature': 'Signature',
    'sheet.seal': "Engagement {prefix}… (piste d'audit)",
    'sheet.printed': 'Imprimée le {at} par {name}',
  },
};
