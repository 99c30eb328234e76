export { openStore, type Store, type UpstreamEvent } from './store.js';
export type { AuthRepo } from './auth-repo.js';
export type { ServersRepo } from './servers-repo.js';
export type { ActivityRepo } from './activity-repo.js';
export type { SecretsRepo } from './secrets-repo.js';
