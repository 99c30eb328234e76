/** The activity log: every MCP request, policy decision and admin change. */
export { NO_ACTIVITY, type ActivityRecorder, type McpRequestStart, type McpRequestOutcome, type PolicyDecisionRecord, type AdminChangeRecord } from './recorder.js';
export { createActivityLog, recordType, ACTIVITY_TYPES, ACTIVITY_STATUSES, DEFAULT_RETENTION_DAYS, type ActivityLog, type ActivityLogOptions } from './activity-log.js';
export { createRedactor, isSensitiveKey, REDACTED, type Redactor, type SecretValuesGetter } from './redact.js';
export { encodeExport, csvCell, CSV_COLUMNS, EXPORT_FORMATS, type ExportFormat } from './export-format.js';
