/** Tool search: a BM25F index over tool definitions with stemming, synonyms and typo tolerance. Pure, no I/O. */
export { buildToolIndex, ALL_FEATURES, type SearchFeatures, type SearchDocument, type SearchHit, type SearchOptions, type ToolIndex } from './tool-index.js';
export { words, terms } from './analyze.js';
export { stem } from './stemmer.js';
export { editDistance } from './fuzzy.js';
