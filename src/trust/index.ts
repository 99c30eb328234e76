/** Trust in upstream definitions: fingerprints, the pinning state machine, the description scanner, sensitive-data shapes. */
export { canonicalJson, fingerprint, pinnedDefinition, type PinKind, type PinnedDefinition } from './fingerprint.js';
export { diffDefinitions, type DefinitionChange } from './diff.js';
export { approvePin, blockPin, isVisible, pinKey, PIN_STATES, reviewListing, type Pin, type PinState, type ReviewContext, type Transition, type TransitionReason } from './pinning.js';
export { hasHighSeverity, RULES, scanDefinition, type Finding, type ScanContext, type Severity } from './scanner.js';
export { findSensitive, luhn, redactSensitive, type SensitiveMatch } from './sensitive-data.js';
export { describeFindings, scanCallPayload, sensitiveDataRefusal, type CallDirection, type CallScan, type SensitiveFinding } from './call-scan.js';
