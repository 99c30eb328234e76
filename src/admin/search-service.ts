import type { Entry } from '../catalog/index.js';
import { decide } from '../policy/index.js';
import { buildToolIndex, type ToolIndex } from '../search/index.js';
import { SwitchboardError, type Principal, type RawItem, type ToolSearchHit } from '../shared/index.js';
import type { AdminDeps } from './admin.js';

/** Results per search unless the caller asks otherwise, and the most it may ask for. */
export const DEFAULT_SEARCH_LIMIT = 15;
export const MAX_SEARCH_LIMIT = 100;
const MAX_QUERY = 500;
const MAX_DESCRIPTION = 500;

export interface ToolSearchResult {
  query: string;
  limit: number;
  results: ToolSearchHit[];
}

/**
 * Tool search over the catalogue. The index follows the catalogue: it is rebuilt right after a tool
 * list changes (off the request path), and a search that still finds an older index rebuilds it first,
 * so results never include a tool that has left the catalogue — quarantined, pending, changed and
 * disabled tools never enter it. Hits pass the caller's policy gate, exactly like tools/list.
 */
export interface SearchService {
  search(caller: Principal, query: string, limit?: number): ToolSearchResult;
  /** The same, without the checks on the query (for the gateway's search_tools, which validates its own input). */
  find(caller: Principal, query: string, limit: number): ToolSearchHit[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : null);

export function createSearchService(deps: AdminDeps): SearchService {
  let built: { version: number; index: ToolIndex<Entry> } | undefined;
  let scheduled = false;

  function current(): ToolIndex<Entry> {
    const snap = deps.catalog.snapshot();
    if (built?.version !== snap.version) built = { version: snap.version, index: buildToolIndex(snap.tools) };
    return built.index;
  }

  deps.catalog.onChange((kinds) => {
    if (!kinds.includes('tools') || scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      current();
    }).unref();
  });

  function find(caller: Principal, query: string, limit: number): ToolSearchHit[] {
    const accept = (e: Entry) => decide(caller, 'list', { kind: 'tool', server: e.server, name: e.exposed, original: e.original }).allowed;
    return current()
      .search(query, { limit, accept })
      .map(({ doc, score }) => {
        const item = doc.item;
        const description = str(item['description']);
        return {
          name: doc.exposed,
          server: doc.server,
          original_name: doc.original,
          title: str(item['title']) ?? str((item['annotations'] as RawItem | undefined)?.['title']),
          description: description && description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION)}…` : description,
          score,
          annotations: (item['annotations'] as Record<string, unknown> | undefined) ?? null,
        };
      });
  }

  return {
    find,
    search(caller, query, limit = DEFAULT_SEARCH_LIMIT) {
      const q = query.trim();
      if (!q) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'The query is empty', { field: 'q' });
      if (q.length > MAX_QUERY) throw new SwitchboardError('SWB_VALIDATION_FAILED', `The query is longer than ${MAX_QUERY} characters`, { field: 'q' });
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) throw new SwitchboardError('SWB_VALIDATION_FAILED', `limit must be an integer from 1 to ${MAX_SEARCH_LIMIT}`, { field: 'limit' });
      return { query: q, limit, results: find(caller, q, limit) };
    },
  };
}
