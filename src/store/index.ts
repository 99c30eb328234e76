export { openStore, type Store, type UpstreamEvent } from './store.js';
export type { AuthRepo, UserRecord, ApiKeyRecord, ApiKeyAuthRecord, RefreshTokenRecord, RotateResult } from './auth-repo.js';
export type { ServersRepo, ServersWriter, ServersSnapshot, StoredServerRecord, ServerStateRecord, NewStoredServer, StatePut } from './servers-repo.js';
export type { ActivityRepo, ActivityEntry, ActivityCaller, ActivityFilter, ActivityCounts, ActivityStatsRaw } from './activity-repo.js';
export type { SecretsRepo, SecretsWriter, StoredSecret, SealedRecord, StoredSettings } from './secrets-repo.js';
