export { createCatalog, type Catalog, type CatalogSnapshot, type ResolvedUri } from './catalog.js';
export { mergeSources, type Entry, type MergedCatalog, type SourceView } from './merge.js';
export { assignNames, fitName, MAX_EXPOSED_NAME, type NamingRules } from './naming.js';
export { exposeUri, parseExposedUri, matchesTemplate } from './resource-uris.js';
export { paginate } from './pagination.js';
