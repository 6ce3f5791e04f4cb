/**
 * The meaning of every electronic signature (21 CFR 11.50), one text per signed act. The console
 * shows exactly this text before the password is asked; the server records this text — never one
 * a client sends — so a signature's stored meaning is always the words the signer was shown.
 */
export const SIGNATURE_MEANINGS = {
  randomize: 'I confirm that this patient meets the eligibility criteria and I randomize them into the study',
  dispense: 'I prepared this product for this patient and period from the lot recorded',
  correction: 'I confirm this correction and the reason given',
  requestUnblinding: "I request that this patient's treatment allocation be revealed, for the medical reason stated",
  approveUnblinding: "I approve this unblinding request: the requester may see this patient's allocation",
  denyUnblinding: 'I deny this unblinding request: the allocation stays concealed',
  activate: 'I approve this allocation scheme and activate the study for randomization',
  lock: 'I lock the study database: no further registration, randomization, correction, dispensing or unblinding request',
  unblind: 'I approve the end-of-study unblinding of the locked database and the release of the full allocation key',
  unblindSecond:
    'As second statistician, I co-sign the end-of-study unblinding of the locked database and the release of the full allocation key',
  approveGrant:
    'I approve this grant: I checked that the person and the e-mail address are right and that they need this role',
  requestSafetyUnblinding:
    "I request that this patient's treatment allocation be sent to the designated safety recipient only, for expedited safety reporting",
  reportInadvertentUnblinding:
    'I report this inadvertent unblinding; the facts, impact assessment and corrective action stated are true to my knowledge',
  rejectGrant: 'I reject this grant: the account does not receive this role',
  reserveEnvelopes: 'I reserve these list entries as sealed downtime envelopes for this site and stratum',
  reconcileEnvelope:
    'I confirm that this patient met the eligibility criteria and was randomized with this envelope, opened at the time stated',
  accessReview:
    'I reviewed this access report of the study: the findings and actions stated are complete, and every other account holds only the access its work needs',
  createStudy:
    'I create this study from the protocol file shown and name its trial statistician; I hold no role in it by doing so',
  createStudySecond:
    'As trial statistician of this new study, I co-sign its creation from the protocol file shown and accept the role',
  voidEnvelopes: 'I void these unused downtime envelopes: they will never be used',
} as const;

export type SignedAct = keyof typeof SIGNATURE_MEANINGS;
