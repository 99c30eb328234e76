export { openStore, type Store, type UpstreamEvent } from './store.js';
