/** The one policy gate: what a principal may see and use, for every face alike. Pure, no I/O. */
export { decide, filterVisible, viewSignature, KIND_SCOPE, type PolicyAction, type PolicyDecision, type PolicyItem, type PolicyKind, type PolicyReason } from './gate.js';
export { isValidPattern, matchesAny } from './globs.js';
