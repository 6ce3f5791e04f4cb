import type { Namespace } from './types.js';

/** Catalogue namespace "qualification" (see shared/i18n/catalogue.ts): the admin page and the signed report. */
export const qualification: Namespace = {
  en: {
    // Console page (Administration → Qualification)
    'page.title': 'Qualification',
    'page.intro':
      "Installation and operational qualification of this instance: the installed build, its configuration, then the whole workflow on a throwaway study that never touches the trial's data. The report is signed with this server's audit key and recorded in the audit trail.",
    'page.run': 'Run the qualification',
    'page.running': 'Running… this takes up to a minute.',
    'page.lastReports': 'Last reports',
    'page.none': 'No qualification has been run yet.',
    'page.download': 'Download',
    'page.json': 'JSON (signed)',
    'page.html': 'HTML',
    'page.verifyHelp': 'Verify a downloaded report offline: blindrand qualify verify REPORT.json --public-key KEY',
    'page.failedChecks': 'Failed checks',
    'page.done': 'Qualification finished: {result}.',
    'page.started': 'Started',
    // Report labels
    reportTitle: 'blindrand installation and operational qualification',
    resultPass: 'PASSED',
    resultFail: 'FAILED',
    pass: 'pass',
    fail: 'fail',
    summary: '{passed} of {total} checks passed',
    reportId: 'Report',
    runBy: 'Run by',
    when: 'When (UTC)',
    environment: 'Environment',
    digest: 'SHA-256 digest (recorded in the audit trail)',
    publicKey: 'Signed with the instance key (Ed25519, public key)',
    colCheck: 'Check',
    colRequirements: 'Requirements',
    colTitle: 'What',
    colExpected: 'Expected',
    colObserved: 'Observed',
    colResult: 'Result',
    verifyHint:
      'The JSON form of report {id} is the signed original: verify it with `blindrand qualify verify REPORT.json --public-key KEY`.',
    // Checks
    'check.IQ-VERSION.title': 'Installed version',
    'check.IQ-VERSION.expected': 'The running build has the version of its release manifest.',
    'check.IQ-CHECKSUMS.title': 'Checksums of the installed build',
    'check.IQ-CHECKSUMS.expected':
      'Every file of the server, shared code, console and entry scripts has the SHA-256 of the release manifest; none is missing or added.',
    'check.IQ-DURABILITY.title': 'Durable database settings',
    'check.IQ-DURABILITY.expected':
      'SQLite: journal_mode=WAL and synchronous=FULL on the live connection. PostgreSQL: fsync=on, synchronous_commit not off, full_page_writes=on.',
    'check.IQ-KEY-PRESENT.title': 'Signing key file present',
    'check.IQ-KEY-PRESENT.expected': 'The key file exists, holds an Ed25519 key and is the key the server signs with.',
    'check.IQ-KEY-PERMISSIONS.title': 'Signing key file permissions',
    'check.IQ-KEY-PERMISSIONS.expected':
      'Readable by its owner only (mode 0600 or 0400), owned by the user running the server.',
    'check.IQ-KEY-LOCATION.title': 'Signing key file location',
    'check.IQ-KEY-LOCATION.expected':
      'Not inside the database nor inside the folder the server publishes (console/dist).',
    'check.IQ-CLOCK.title': 'Clock',
    'check.IQ-CLOCK.expected': "The server's clock and the database server's clock differ by 2 seconds at most.",
    'check.IQ-BACKUP.title': 'Backups',
    'check.IQ-BACKUP.expected':
      'BACKUP_DIR is declared, exists outside the database folder and holds a backup younger than BACKUP_MAX_AGE_HOURS.',
    'check.IQ-TLS.title': 'Encrypted transport',
    'check.IQ-TLS.expected':
      'PUBLIC_URL is https, or the server is reached on this machine only, or a TLS-terminating proxy is declared (TLS_TERMINATED_BY_PROXY=true).',
    'check.IQ-AUDIT-CHAIN.title': 'Audit trail of record',
    'check.IQ-AUDIT-CHAIN.expected': 'The audit chain is intact and agrees with every signed checkpoint.',
    'check.OQ-EXACTLY-ONCE.title': 'Randomization exactly once under concurrency',
    'check.OQ-EXACTLY-ONCE.expected':
      'Parallel requests for one patient (different keys, or the same key) give one allocation; parallel patients get distinct numbers without gap; no 5xx.',
    'check.OQ-IDEMPOTENT-REPLAY.title': 'Idempotent replay',
    'check.OQ-IDEMPOTENT-REPLAY.expected':
      'A retry with the same key returns the identical answer; the key with another patient is refused (422); a request without a key is refused (400); nothing new is allocated.',
    'check.OQ-UNBLINDING-MONITOR-APPROVAL.title': 'Emergency unblinding: monitor approval',
    'check.OQ-UNBLINDING-MONITOR-APPROVAL.expected':
      'Nothing is revealed before the medical monitor approves; then only the requester sees the allocation, which matches the list; the reveal is registered.',
    'check.OQ-UNBLINDING-BREAK-THE-GLASS.title': 'Emergency unblinding: break the glass',
    'check.OQ-UNBLINDING-BREAK-THE-GLASS.expected':
      'Revealed at once to the requester only, matching the allocation; the monitor is notified and reviews afterwards.',
    'check.OQ-UNBLINDING-TWO-PERSON.title': 'Emergency unblinding: two persons',
    'check.OQ-UNBLINDING-TWO-PERSON.expected':
      'One approval is not enough and the same person cannot approve twice; after a second approver the requester alone sees the allocation.',
    'check.OQ-BLINDING-CRAWL.title': 'Blinding crawl of every role',
    'check.OQ-BLINDING-CRAWL.expected':
      'No response to a blinded role carries a treatment field, code or label, and no response is a 5xx; the same search finds them for the unblinded roles.',
    'check.OQ-EXPORTS.title': 'Export formats',
    'check.OQ-EXPORTS.expected':
      'The allocation log (JSON and CSV), the audit trail (CSV) and, after end-of-study unblinding, the CDISC export parse and agree on every allocation.',
    'check.OQ-TAMPER.title': 'Tamper detection',
    'check.OQ-TAMPER.expected':
      'Altering one audit row directly in the database makes verification fail at that entry.',
    'check.OQ-CLEANUP.title': 'Throwaway study removed',
    'check.OQ-CLEANUP.expected':
      'Every qualification database (SQLite file or PostgreSQL schema) is dropped at the end; production data was never used.',
  },
  fr: {
    'page.title': 'Qualification',
    'page.intro':
      "Qualification d'installation et qualification opérationnelle de cette instance : la version installée, sa configuration, puis l'ensemble du circuit sur une étude jetable qui ne touche jamais aux données de l'essai. Le rapport est signé avec la clé d'audit de ce serveur et consigné dans la piste d'audit.",
    'page.run': 'Lancer la qualification',
    'page.running': 'Qualification en cours… cela peut prendre une minute.',
    'page.lastReports': 'Derniers rapports',
    'page.none': "Aucune qualification n'a encore été effectuée.",
    'page.download': 'Télécharger',
    'page.json': 'JSON (signé)',
    'page.html': 'HTML',
    'page.verifyHelp':
      'Vérifier hors ligne un rapport téléchargé : blindrand qualify verify REPORT.json --public-key CLÉ',
    'page.failedChecks': 'Contrôles en échec',
    'page.done': 'Qualification terminée : {result}.',
    'page.started': 'Début',
    reportTitle: "Qualification d'installation et qualification opérationnelle de blindrand",
    resultPass: 'CONFORME',
    resultFail: 'NON CONFORME',
    pass: 'conforme',
    fail: 'non conforme',
    summary: '{passed} contrôles conformes sur {total}',
    reportId: 'Rapport',
    runBy: 'Effectuée par',
    when: 'Date et heure (UTC)',
    environment: 'Environnement',
    digest: "Empreinte SHA-256 (consignée dans la piste d'audit)",
    publicKey: "Signé avec la clé de l'instance (Ed25519, clé publique)",
    colCheck: 'Contrôle',
    colRequirements: 'Exigences',
    colTitle: 'Objet',
    colExpected: 'Résultat attendu',
    colObserved: 'Résultat observé',
    colResult: 'Conclusion',
    verifyHint:
      "La forme JSON du rapport {id} est l'original signé : vérifiez-la avec `blindrand qualify verify REPORT.json --public-key CLÉ`.",
    'check.IQ-VERSION.title': 'Version installée',
    'check.IQ-VERSION.expected': 'La version en service est celle de son manifeste de livraison.',
    'check.IQ-CHECKSUMS.title': 'Sommes de contrôle de la version installée',
    'check.IQ-CHECKSUMS.expected':
      "Chaque fichier du serveur, du code partagé, de la console et des scripts de lancement a l'empreinte SHA-256 du manifeste ; aucun ne manque ni n'a été ajouté.",
    'check.IQ-DURABILITY.title': 'Paramètres de durabilité de la base',
    'check.IQ-DURABILITY.expected':
      'SQLite : journal_mode=WAL et synchronous=FULL sur la connexion active. PostgreSQL : fsync=on, synchronous_commit différent de off, full_page_writes=on.',
    'check.IQ-KEY-PRESENT.title': 'Présence du fichier de clé de signature',
    'check.IQ-KEY-PRESENT.expected':
      "Le fichier de clé existe, contient une clé Ed25519 et c'est la clé avec laquelle le serveur signe.",
    'check.IQ-KEY-PERMISSIONS.title': 'Droits du fichier de clé de signature',
    'check.IQ-KEY-PERMISSIONS.expected':
      "Lisible par son seul propriétaire (mode 0600 ou 0400), qui est l'utilisateur exécutant le serveur.",
    'check.IQ-KEY-LOCATION.title': 'Emplacement du fichier de clé de signature',
    'check.IQ-KEY-LOCATION.expected':
      'Ni dans la base de données, ni dans le dossier publié par le serveur (console/dist).',
    'check.IQ-CLOCK.title': 'Horloge',
    'check.IQ-CLOCK.expected':
      "L'horloge du serveur et celle du serveur de base de données diffèrent de 2 secondes au plus.",
    'check.IQ-BACKUP.title': 'Sauvegardes',
    'check.IQ-BACKUP.expected':
      'BACKUP_DIR est déclaré, existe hors du dossier de la base et contient une sauvegarde datant de moins de BACKUP_MAX_AGE_HOURS.',
    'check.IQ-TLS.title': 'Chiffrement des échanges',
    'check.IQ-TLS.expected':
      "PUBLIC_URL est en https, ou le serveur n'est joignable que depuis cette machine, ou un mandataire assurant le TLS est déclaré (TLS_TERMINATED_BY_PROXY=true).",
    'check.IQ-AUDIT-CHAIN.title': "Piste d'audit de référence",
    'check.IQ-AUDIT-CHAIN.expected': "La chaîne d'audit est intègre et concorde avec chaque point de contrôle signé.",
    'check.OQ-EXACTLY-ONCE.title': 'Randomisation unique en accès concurrent',
    'check.OQ-EXACTLY-ONCE.expected':
      'Des requêtes simultanées pour un même patient (clés différentes ou même clé) donnent une seule allocation ; des patients simultanés reçoivent des numéros distincts et sans trou ; aucune erreur 5xx.',
    'check.OQ-IDEMPOTENT-REPLAY.title': 'Rejeu idempotent',
    'check.OQ-IDEMPOTENT-REPLAY.expected':
      'Une nouvelle tentative avec la même clé renvoie une réponse identique ; la clé utilisée pour un autre patient est refusée (422) ; une requête sans clé est refusée (400) ; aucune nouvelle allocation.',
    'check.OQ-UNBLINDING-MONITOR-APPROVAL.title': "Levée d'aveugle en urgence : accord du moniteur médical",
    'check.OQ-UNBLINDING-MONITOR-APPROVAL.expected':
      "Rien n'est révélé avant l'accord du moniteur médical ; ensuite seul le demandeur voit l'allocation, conforme à la liste ; la levée est inscrite au registre.",
    'check.OQ-UNBLINDING-BREAK-THE-GLASS.title': "Levée d'aveugle en urgence : bris de glace",
    'check.OQ-UNBLINDING-BREAK-THE-GLASS.expected':
      "Révélée immédiatement au seul demandeur, conforme à l'allocation ; le moniteur est averti et procède à une revue a posteriori.",
    'check.OQ-UNBLINDING-TWO-PERSON.title': "Levée d'aveugle en urgence : double accord",
    'check.OQ-UNBLINDING-TWO-PERSON.expected':
      "Un seul accord ne suffit pas et une même personne ne peut pas approuver deux fois ; après un second approbateur, seul le demandeur voit l'allocation.",
    'check.OQ-BLINDING-CRAWL.title': "Exploration de l'aveugle pour chaque rôle",
    'check.OQ-BLINDING-CRAWL.expected':
      "Aucune réponse à un rôle en aveugle ne contient de champ, de code ou de libellé de traitement, et aucune réponse n'est une erreur 5xx ; la même recherche les trouve pour les rôles non aveugles.",
    'check.OQ-EXPORTS.title': "Formats d'export",
    'check.OQ-EXPORTS.expected':
      "Le journal des allocations (JSON et CSV), la piste d'audit (CSV) et, après la levée d'aveugle de fin d'étude, l'export CDISC se lisent et concordent pour chaque allocation.",
    'check.OQ-TAMPER.title': 'Détection des altérations',
    'check.OQ-TAMPER.expected':
      "La modification directe d'une ligne d'audit dans la base fait échouer la vérification à cette entrée.",
    'check.OQ-CLEANUP.title': "Suppression de l'étude jetable",
    'check.OQ-CLEANUP.expected':
      "Chaque base de qualification (fichier SQLite ou schéma PostgreSQL) est supprimée à la fin ; les données de production n'ont jamais été utilisées.",
  },
};
