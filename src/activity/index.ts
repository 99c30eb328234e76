/** The activity log: every MCP request, policy decision and admin change. */
export { NO_ACTIVITY, type ActivityRecorder, type McpRequestStart, type McpRequestOutcome, type PolicyDecisionRecord, type AdminChangeRecord } from './recorder.js';
