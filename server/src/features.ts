/**
 * Controllers and providers of the trial features (study, participants, randomization, pharmacy,
 * unblinding, exports, notifications), registered in one list so the foundation stays small.
 */
import type { Provider, Type } from '@nestjs/common';

export const FEATURE_CONTROLLERS: Type<unknown>[] = [];
export const FEATURE_PROVIDERS: Provider[] = [];
