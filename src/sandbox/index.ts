/**
 * sandbox/ (L1): runs untrusted Python tool code under limits, in layers of isolation, and performs its
 * outbound HTTP with an SSRF-safe client. Knows nothing about MCP, hosted servers or the store.
 */
export { createSandbox, type Sandbox, type SandboxOptions, type SandboxStats } from './sandbox.js';
export { sandboxLayers, probeSandbox, type ProbeFacts } from './probe.js';
export { createEgressClient, type EgressClient, type EgressOptions, type EgressPolicy, type EgressRequest, type EgressResponse, type AllowedHost, type Resolver } from './egress.js';
export { blockedAddressReason, isIpLiteral, parseIPv4Literal, METADATA_HOSTNAMES, type BlockReason } from './address-policy.js';
export { DEFAULT_LIMITS, LIMIT_BOUNDS, resolveLimits, type SandboxLimits, type ResolvedLimits } from './limits.js';
export { DEFAULT_ALLOWED_MODULES, ALWAYS_FORBIDDEN_MODULES, isAlwaysForbidden } from './modules.js';
export type { ToolLanguage, SandboxJob, SandboxMode, SandboxResult, SandboxSuccess, SandboxFailure, SandboxErrorKind, CodeAnalysis, CodeProblem, SandboxLayer } from './types.js';
