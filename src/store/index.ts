export { openStore, type Store, type UpstreamEvent } from './store.js';
export type { AuthRepo, UserRecord, ApiKeyRecord, ApiKeyAuthRecord, RefreshTokenRecord, RotateResult } from './auth-repo.js';
export type { ServersRepo, ServersWriter, ServersSnapshot, StoredServerRecord, ServerStateRecord, NewStoredServer, StatePut } from './servers-repo.js';
export type { ActivityRepo, ActivityEntry, ActivityCaller, ActivityFilter, ActivityCounts, ActivityStatsRaw } from './activity-repo.js';
export type { TrustRepo, TrustWriter, StoredPin, StoredServerTrust, StoredProfile } from './trust-repo.js';
export type { SecretsRepo, SecretsWriter, StoredSecret, SealedRecord, StoredSettings } from './secrets-repo.js';
export type { HostedRepo, HostedServerRecord, HostedToolRecord, ToolVersionRecord, HostedRequestRecord, HostedRequestKind, HostedRequestStatus, HostedVia, ExecutionRecord, NewExecution, ToolPatch, ServerPatch } from './hosted-repo.js';
export type { SessionsRepo, StoredSessionState } from './sessions-repo.js';
