/**
 * The study's statuses, below both the contract and the role map (isBlindedAt reads them), so that
 * neither imports the other; shared/contract re-exports the type.
 */
export type StudyStatus = 'setup' | 'active' | 'locked' | 'unblinded';
