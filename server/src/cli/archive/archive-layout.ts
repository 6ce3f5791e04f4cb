/**
 * Where each file of a study archive lives (paths relative to the archive folder). The writer, the
 * verifier and the generated README name files only through this table, so they cannot drift apart.
 */
export const ARCHIVE_FORMAT = 'blindrand-study-archive';

export const ARCHIVE_PATHS = {
  readme: 'README.md',
  manifest: 'MANIFEST.sha256',
  manifestSignature: 'MANIFEST.sha256.sig',
  about: 'archive.json',
  protocol: 'protocol/protocol.yaml',
  protocolSha: 'protocol/protocol.yaml.sha256',
  schemesDir: 'schemes',
  allocationCsv: 'allocation-log/allocation-log.csv',
  allocationJson: 'allocation-log/allocation-log.json',
  registerCsv: 'unblinding/register.csv',
  registerJson: 'unblinding/register.json',
  signaturesCsv: 'signatures/signatures.csv',
  signaturesJson: 'signatures/signatures.json',
  cdisc: 'exports/cdisc-adsl.csv',
  chain: 'audit/chain.jsonl',
  sealed: 'audit/sealed.jsonl',
  sealState: 'audit/seal-state.json',
  checkpoints: 'audit/checkpoints.jsonl',
  rotations: 'audit/key-rotations.json',
  publicKey: 'audit/public-key.pem',
} as const;

/** The columns of signatures/signatures.csv (and the fields of its JSON twin): the stored signature. */
export const SIGNATURE_FILE_COLUMNS = [
  'id',
  'signerId',
  'signerUsername',
  'printedName',
  'meaning',
  'signedAt',
  'recordType',
  'recordId',
  'recordHash',
  'seal',
] as const;
