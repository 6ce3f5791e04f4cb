/** Every namespace of the catalogue. One file per area, so that areas are edited independently. */
import type { Namespace } from './types.js';
import { common } from './common.js';
import { nav } from './nav.js';
import { auth } from './auth.js';
import { errors } from './errors.js';
import { participants } from './participants.js';
import { unblinding } from './unblinding.js';
import { emergency } from './emergency.js';
import { pharmacy } from './pharmacy.js';
import { allocation } from './allocation.js';
import { admin } from './admin.js';
import { statistician } from './statistician.js';
import { audit } from './audit.js';
import { notifications } from './notifications.js';
import { emails } from './emails.js';
import { qualification } from './qualification.js';
import { envelopes } from './envelopes.js';
import { safety } from './safety.js';
import { time } from './time.js';
import { signing } from './signing.js';
import { forms } from './forms.js';
import { accessReview } from './access-review.js';
import { oidc } from './oidc.js';
import { switcher } from './switcher.js';

export const NAMESPACES: Record<string, Namespace> = {
  common,
  nav,
  auth,
  errors,
  participants,
  unblinding,
  emergency,
  pharmacy,
  allocation,
  admin,
  statistician,
  audit,
  notifications,
  emails,
  qualification,
  envelopes,
  safety,
  time,
  signing,
  forms,
  accessReview,
  oidc,
  switcher,
};
