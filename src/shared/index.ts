/** The contracts every layer shares: error codes and `SwitchboardError`, and the ToolSource shapes. No I/O. */
export { ERROR_CODES, SwitchboardError, toSwitchboardError, renderError, errorEnvelope, type ErrorCode } from './errors.js';
export { EMPTY_LISTING, type RawItem, type SourceListing, type ListKind } from './tool-source.js';
export { SCOPES, ROLES, ROLE_SCOPES, hasScope, fullAccess, type Scope, type Role, type Principal, type Credentials, type Authenticate } from './principal.js';
export { principalKey } from './principal.js';
export { type McpOperations } from './mcp-operations.js';
export { SettingsSchema, defaultSettings, SENSITIVE_DATA_MODES, type Settings, type SensitiveDataMode } from './settings.js';
export { ProfileSchema, ProfileToolSchema, PROFILE_NAME, isPattern, type ProfileDefinition, type ProfileTool } from './profiles.js';
export { type ToolSearch, type ToolSearchHit } from './tool-search.js';
