/**
 * The meaning of each electronic signature (21 CFR 11.50), shown to the signer before the password.
 * One map for console and server (shared/signature-meanings.ts): the server records its own text
 * and refuses a different one, so what the signer reads is what the record carries.
 */
export { SIGNATURE_MEANINGS as MEANINGS } from '../../../shared/signature-meanings.js';
