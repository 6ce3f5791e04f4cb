import { shallowRef } from 'vue';
import type { SignatureInput } from '../../../shared/contract.js';

export interface SigningRequest {
  title: string;
  meaning: string;
  record: string;
  /** What else the signature covers, in words (SignatureDialog `facts`). */
  facts?: Array<{ label: string; value: string }>;
  actionLabel: string;
  submit: (signature: SignatureInput) => Promise<void>;
}

/** Opens the signature dialog for one action; the page renders <SignatureDialog v-if="signing" v-bind="signing">. */
export function useSigning() {
  const signing = shallowRef<SigningRequest | null>(null);
  return { signing, ask: (r: SigningRequest) => (signing.value = r), close: () => (signing.value = null) };
}
