/**
 * Types of the HTTP contract (../shared/handbook/API.md): the single compiled source of truth for the
 * server's views (every toXView and handler is annotated with one of these), the console's API client and
 * the OpenAPI response schemas (server/bin/contract-schemas.mjs generates them from these types). Fields
 * named `arm`, `sequence`, `product` (and arm codes/labels) appear only in views for unblinded viewers.
 * One file per area under ./contract/.
 */
export * from './contract/common.js';
export * from './contract/users.js';
export * from './contract/audit.js';
export * from './contract/study.js';
export * from './contract/participants.js';
export * from './contract/unblinding.js';
export * from './contract/notifications.js';
export * from './contract/envelopes.js';
export * from './contract/safety.js';
export * from './contract/qualification.js';
export * from './contract/access-review.js';
export * from './contract/oidc.js';
export * from './contract/studies.js';
