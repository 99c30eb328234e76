/**
 * hosted/ (L2): hosted servers' Python tools on top of the sandbox — the approval state machine, version
 * diffs, the in-memory set of published tools and the recipe that runs a tool version as a sandbox job.
 * Storage and approvals live in admin/; the sandbox itself in sandbox/.
 */
export { TOOL_STATUSES, TOOL_EVENTS, TOOL_TRANSITIONS, transition, isToolStatus, type ToolStatus, type ToolEvent } from './tool-states.js';
export { unifiedDiff } from './unified-diff.js';
export { toCallToolResult, failureText } from './tool-result.js';
export { maskSecrets, truncate, MASK } from './redaction.js';
export { createHostedRuntime, LOG_RESULT_BYTES, LOG_STDOUT_BYTES, type HostedRuntime, type HostedRuntimeOptions, type PublishedServer, type RunnableTool, type ExecTarget, type ExternalLink, type ExternalCall } from './hosted-runtime.js';
export { createSandbox, sandboxLayers, DEFAULT_ALLOWED_MODULES, isAlwaysForbidden, createEgressClient, type Sandbox, type SandboxOptions, type SandboxLayer, type SandboxResult, type CodeAnalysis, type AllowedHost, type EgressClient, type ToolLanguage } from '../sandbox/index.js';
