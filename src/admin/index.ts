/** The one typed management service that every face (REST, CLI, MCP management tools, UI) calls. */
export { createAdmin, type AdminService, type AdminDeps, type SessionSummary } from './admin.js';
export { createActivityService, type ActivityService, type ActivityServiceOptions, type ActivityStats, type ActivityPage, type StatsBucket } from './activity-service.js';
export { createServersService, type ServersService, type ServersOptions, type CreateOptions } from './servers-service.js';
export { ServerCreateInput, ServerDefinitionInput, ServerPatchInput, SERVER_NAME, MASK } from './server-definition.js';
export { BULK_ACTIONS, type BulkAction, type BulkResult, type ServerStatus, type ServerLogs, type ServerTools, type ServerTool, type TestResult, type InvokeResult } from './server-operations.js';
export type { ServerView } from './server-view.js';
export type { ServerConflict, ServerSource } from './server-set.js';
export { createSystemService, type SystemService, type StatusReport, type InfoReport, type Diagnostics, type Dashboard, type HealthDetail, type ServicesHealth } from './system-service.js';
export { checkConfigFile, type DoctorCheck, type DoctorReport } from './doctor.js';
export { createAuthService, type AuthService, type Session, type SetupContext, type MeView } from './auth-service.js';
export { createUsersService, USERNAME_PATTERN, type UsersService, type UserView, type UserPage, type UserUpdate, type NewUserInput, type AccessDeps } from './users-service.js';
export { createKeysService, parseDuration, MAX_KEY_NAME, type KeysService, type KeyView, type KeyPage, type NewKeyInput } from './keys-service.js';
export { createSecretsService, MAX_SECRET_BYTES, type SecretsService, type SecretView } from './secrets-service.js';
export { createSettingsService, type SettingsService, type SettingsView, type SettingsIssue } from './settings-service.js';
export { createConfigService, writeAtomically, type ConfigService, type ConfigView, type ConfigCheck, type ConfigApplied, type ServerChanges } from './config-service.js';
export { createBackupService, type BackupService, type ImportResult, type ImportOptions } from './backup-service.js';
export { EXPORT_FORMATS, type ExportFormat } from './export-formats.js';
export { IMPORT_FORMATS, type ImportFormat } from './import-formats.js';
