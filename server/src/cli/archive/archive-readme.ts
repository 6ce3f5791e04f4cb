/**
 * The README.md written into every study archive: what each file is and how to verify the archive,
 * with blindrand (`blindrand archive verify`) and without it (sha256sum, openssl, a few lines of any
 * language for the chain). English, then French. It is itself listed in the signed manifest.
 */
import type { StudyRecord } from '../../modules/protocol/study.record.js';
import { ARCHIVE_PATHS as P } from './archive-layout.js';

export interface ReadmeFacts {
  study: StudyRecord;
  writtenAt: string;
  version: string;
  entries: number;
  checkpoints: number;
  schemeFiles: string[];
  keyFingerprint: string;
}

export function readmeText(f: ReadmeFacts): string {
  const schemes = f.schemeFiles.map((s) => `| \`${s}\` | ${describeScheme(s, 'en')} |`).join('\n');
  const schemesFr = f.schemeFiles.map((s) => `| \`${s}\` | ${describeScheme(s, 'fr')} |`).join('\n');
  return `# Study archive: ${f.study.code} — ${f.study.title}

Written ${f.writtenAt} by blindrand ${f.version}, after the study's end-of-study unblinding
(${f.study.unblindedAt ?? 'n/a'}). The audit chain holds ${f.entries} entries and ${f.checkpoints} signed checkpoints.
Every file is plain text in an open format (YAML, JSON, JSON Lines, CSV, PEM) and can be read without blindrand.

Signing public key (Ed25519, SHA-256 of its DER SubjectPublicKeyInfo):
\`${f.keyFingerprint}\`
Compare it with the key fingerprint your organisation recorded for this instance (for example at validation or
in its checkpoint exports): the archive proves its integrity only relative to a key you trust.

## Files

| File | What it is |
| --- | --- |
| \`${P.readme}\` | This file. |
| \`${P.manifest}\` | SHA-256 of every other file (\`sha256sum\` format). |
| \`${P.manifestSignature}\` | Ed25519 signature (64 raw bytes) over \`${P.manifest}\`, by the instance's audit signing key. |
| \`${P.about}\` | The study record (code, status, dates, list fingerprint), the chain's size and head hash, who wrote the archive. |
| \`${P.protocol}\` | The protocol file exactly as registered. \`${P.protocolSha}\` holds its SHA-256. |
${schemes}
| \`${P.allocationCsv}\`, \`.json\` | The allocation log with arms: who randomized whom, when, in which stratum, with which signature. |
| \`${P.registerCsv}\`, \`.json\` | The unblinding register: who saw which participant's allocation (or every one), when and why. |
| \`${P.signaturesCsv}\`, \`.json\` | Every electronic signature: printed name, meaning, time, signed record and its hash, seal. |
| \`${P.cdisc}\` | The CDISC-style analysis data set (one row per randomized participant). |
| \`${P.chain}\` | The audit trail, one entry per line: the fields its hash covers, \`prevHash\` and \`hash\`. |
| \`${P.sealed}\` | The sealed (arm-dependent) part of each entry that has one: \`seq\`, \`nonce\`, \`content\`. |
| \`${P.sealState}\` | Where a chain started before sealing existed ends (\`legacySize\`; 0 when none). |
| \`${P.checkpoints}\` | Signed checkpoints of the chain (size, head hash, time, Ed25519 signature), one per line. |
| \`${P.rotations}\` | Signing-key rotation records (each signed by the old and the new key); empty when never rotated. |
| \`${P.publicKey}\` | The public key that verifies the checkpoints and the manifest. |

## Verify with blindrand

    blindrand archive verify <this folder or its .tar>

No database and no configuration are needed. Each check prints OK or FAILED with the file concerned: manifest
signature, files against the manifest, the audit chain re-hashed end to end with its sealed parts, every
checkpoint's signature and agreement with the chain, the protocol's SHA-256, each scheme's fingerprint
recomputed with the released salt, the allocation log and the unblinding register against the chain's entries,
and every electronic signature's seal. Exit code 0 when every check passes, 1 otherwise.
\`--public-key BASE64\` verifies with a key you hold instead of the archive's copy.

## Verify without blindrand

1. Files against the manifest (GNU coreutils): \`sha256sum -c ${P.manifest}\` (every line must say OK, and no file
   of the folder may be missing from the manifest: compare with \`find . -type f\`).
2. The manifest's signature (OpenSSL 3):
   \`openssl pkeyutl -verify -pubin -inkey ${P.publicKey} -rawin -in ${P.manifest} -sigfile ${P.manifestSignature}\`
   must print "Signature Verified Successfully".
3. The audit chain: for each line of \`${P.chain}\` in order, take the object without \`prevHash\` and \`hash\`,
   write it as canonical JSON (keys sorted, no spaces, strings as JSON.stringify writes them), and compute
   \`SHA-256(prevHash + that text)\` as lowercase hex: it must equal \`hash\`, and each \`prevHash\` must equal the
   previous line's \`hash\` (the first: 64 zeros). An entry whose \`details.unblinded\` is \`{"commitment": C}\`
   has a line in \`${P.sealed}\`: \`SHA-256(nonce bytes + canonical JSON of content)\` must equal C.
4. Each checkpoint line signs the canonical JSON \`{"at":…,"headHash":…,"size":…}\`; its \`headHash\` must be the
   \`hash\` of the chain entry whose \`seq\` is \`size\`. Check the signature (base64) with \`${P.publicKey}\`.
5. The list can be regenerated from the released seed and salt in the scheme JSON with
   \`blindrand list verify\` (see the blindrand documentation), and \`${P.protocolSha}\` with \`sha256sum -c\`
   inside \`protocol/\`.

## Retention

Keep the folder (or the .tar) as it is, with at least two copies on different media; do not edit any file —
any change breaks the manifest. Keep the public key fingerprint above in your trial master file.

---

# Archive de l'étude : ${f.study.code} — ${f.study.title}

Écrite le ${f.writtenAt} par blindrand ${f.version}, après la levée d'aveugle de fin d'étude
(${f.study.unblindedAt ?? 'n/a'}). La piste d'audit compte ${f.entries} entrées et ${f.checkpoints} points de contrôle signés.
Tous les fichiers sont du texte dans des formats ouverts (YAML, JSON, JSON Lines, CSV, PEM), lisibles sans blindrand.

Clé publique de signature (Ed25519, SHA-256 de sa forme DER SubjectPublicKeyInfo) :
\`${f.keyFingerprint}\`
Comparez-la à l'empreinte de clé que votre organisation a enregistrée pour cette instance : l'archive ne prouve
son intégrité que par rapport à une clé en laquelle vous avez confiance.

## Fichiers

| Fichier | Contenu |
| --- | --- |
| \`${P.readme}\` | Ce fichier. |
| \`${P.manifest}\` | SHA-256 de chaque autre fichier (format \`sha256sum\`). |
| \`${P.manifestSignature}\` | Signature Ed25519 (64 octets bruts) de \`${P.manifest}\` par la clé de signature d'audit de l'instance. |
| \`${P.about}\` | La fiche de l'étude (code, statut, dates, empreinte de la liste), la taille et la tête de la chaîne. |
| \`${P.protocol}\` | Le protocole tel qu'enregistré ; \`${P.protocolSha}\` contient son SHA-256. |
${schemesFr}
| \`${P.allocationCsv}\`, \`.json\` | Le journal des allocations avec les bras : qui a randomisé qui, quand, dans quelle strate, avec quelle signature. |
| \`${P.registerCsv}\`, \`.json\` | Le registre des levées d'aveugle : qui a vu l'allocation de quel participant (ou de tous), quand et pourquoi. |
| \`${P.signaturesCsv}\`, \`.json\` | Toutes les signatures électroniques : nom, signification, date, enregistrement signé et son empreinte, sceau. |
| \`${P.cdisc}\` | Le jeu de données d'analyse de style CDISC (une ligne par participant randomisé). |
| \`${P.chain}\` | La piste d'audit, une entrée par ligne : les champs couverts par son empreinte, \`prevHash\` et \`hash\`. |
| \`${P.sealed}\` | La partie scellée (dépendant du bras) des entrées qui en ont une : \`seq\`, \`nonce\`, \`content\`. |
| \`${P.sealState}\` | Fin de la partie de la chaîne antérieure au scellement (\`legacySize\` ; 0 s'il n'y en a pas). |
| \`${P.checkpoints}\` | Les points de contrôle signés de la chaîne (taille, tête, date, signature Ed25519), un par ligne. |
| \`${P.rotations}\` | Les rotations de la clé de signature (chacune signée par l'ancienne et la nouvelle clé). |
| \`${P.publicKey}\` | La clé publique qui vérifie les points de contrôle et le manifeste. |

## Vérifier avec blindrand

    blindrand archive verify <ce dossier ou son .tar>

Ni base de données ni configuration ne sont nécessaires. Chaque contrôle affiche OK ou FAILED avec le fichier en
cause ; code de sortie 0 si tout est vérifié, 1 sinon. \`--public-key BASE64\` vérifie avec une clé que vous détenez.

## Vérifier sans blindrand

1. \`sha256sum -c ${P.manifest}\` : chaque ligne doit indiquer OK, et aucun fichier du dossier ne doit manquer au
   manifeste (comparez avec \`find . -type f\`).
2. \`openssl pkeyutl -verify -pubin -inkey ${P.publicKey} -rawin -in ${P.manifest} -sigfile ${P.manifestSignature}\`
   doit afficher « Signature Verified Successfully ».
3. Chaîne d'audit : pour chaque ligne de \`${P.chain}\`, l'objet sans \`prevHash\` ni \`hash\`, écrit en JSON canonique
   (clés triées, sans espaces), donne \`hash = SHA-256(prevHash + ce texte)\` en hexadécimal minuscule ; chaque
   \`prevHash\` est le \`hash\` de la ligne précédente (64 zéros pour la première). Une entrée dont
   \`details.unblinded\` vaut \`{"commitment": C}\` a une ligne dans \`${P.sealed}\` avec
   \`SHA-256(octets du nonce + JSON canonique de content) = C\`.
4. Chaque point de contrôle signe le JSON canonique \`{"at":…,"headHash":…,"size":…}\` ; son \`headHash\` est le
   \`hash\` de l'entrée de numéro \`size\`. Vérifiez la signature (base64) avec \`${P.publicKey}\`.

## Conservation

Conservez le dossier (ou le .tar) tel quel, en au moins deux copies sur des supports différents ; ne modifiez
aucun fichier (toute modification invalide le manifeste). Conservez l'empreinte de clé ci-dessus dans le TMF.
`;
}

function describeScheme(path: string, lang: 'en' | 'fr'): string {
  if (path.endsWith('-list.csv'))
    return lang === 'en'
      ? 'The randomization list of this scheme version (stratum, position, arm, treatment code).'
      : 'La liste de randomisation de cette version du schéma (strate, position, bras, code de traitement).';
  return lang === 'en'
    ? 'A scheme version: its record (method, parameters, state, fingerprint, released seed and salt) and its document (arms, strata, list).'
    : 'Une version du schéma : sa fiche (méthode, paramètres, état, empreinte, graine et sel publiés) et son document (bras, strates, liste).';
}
