/**
 * The meaning of each electronic signature (21 CFR 11.50), shown to the signer before the password
 * and sent with the signature so the stored record carries exactly the words the signer read.
 */
export const MEANINGS = {
  randomize: 'I confirm that this patient meets the eligibility criteria and I randomize them into the study',
  dispense: 'I prepared this product for this patient and period from the lot recorded',
  requestUnblinding: "I request that this patient's treatment allocation be revealed to me, for the medical reason stated",
  approveUnblinding: 'I approve this unblinding request: the requester may see this patient\'s allocation',
  denyUnblinding: 'I deny this unblinding request: the allocation stays concealed',
  activate: 'I approve this allocation scheme and activate the study for randomization',
  lock: 'I lock the study database: no further randomization, corrections or data changes',
  unblind: 'I release the full allocation key at the end of the study',
  unblindSecond: 'As second statistician, I confirm the release of the full allocation key at the end of the study',
  correction: (field: string) => `I confirm this correction of ${field} and its reason`,
} as const;
