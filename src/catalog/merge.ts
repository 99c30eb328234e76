import type { RawItem, SourceListing } from '../shared/index.js';
import { assignNames, type NamingRules } from './naming.js';
import { exposeUri } from './resource-uris.js';

/** One source as the merge sees it. */
export interface SourceView {
  server: string;
  /** Alias or server name: what names and URIs are prefixed with. */
  prefix: string;
  /** Position in the configuration (stable tie-breaker for bare names). */
  order: number;
  listing: SourceListing;
}

/** A catalogue entry: the exposed item (raw JSON with the name or URI rewritten) and where it came from. */
export interface Entry {
  exposed: string;
  server: string;
  /** The upstream's own name (tools, prompts) or URI / URI template (resources). */
  original: string;
  item: RawItem;
}

export interface MergedCatalog {
  tools: Entry[];
  prompts: Entry[];
  resources: Entry[];
  resourceTemplates: Entry[];
}

/**
 * Merge the listings of several sources into one catalogue. Pure and deterministic: the output
 * depends only on the inputs, sorted by exposed name (or URI), whatever order sources connected in.
 */
export function mergeSources(sources: readonly SourceView[], rules: NamingRules): MergedCatalog {
  const prefixed = rules.prefix === 'always';
  return {
    tools: mergeNamed(sources, (l) => l.tools, rules),
    prompts: mergeNamed(sources, (l) => l.prompts, rules),
    resources: mergeUris(sources, (l) => l.resources, 'uri', prefixed),
    resourceTemplates: mergeUris(sources, (l) => l.resourceTemplates, 'uriTemplate', prefixed),
  };
}

interface Candidate {
  serverPrefix: string;
  serverOrder: number;
  name: string;
  server: string;
  item: RawItem;
}

function mergeNamed(sources: readonly SourceView[], pick: (l: SourceListing) => RawItem[], rules: NamingRules): Entry[] {
  const candidates: Candidate[] = [];
  for (const s of sources) {
    const seen = new Set<string>();
    for (const item of pick(s.listing)) {
      const name = item['name'];
      // A nameless or duplicate item from one upstream cannot be routed; drop it rather than guess.
      if (typeof name !== 'string' || name === '' || seen.has(name)) continue;
      seen.add(name);
      candidates.push({ serverPrefix: s.prefix, serverOrder: s.order, name, server: s.server, item });
    }
  }
  const names = assignNames(candidates, rules);
  const entries = candidates.map((c): Entry => {
    const exposed = names.get(c)!;
    return { exposed, server: c.server, original: c.name, item: exposed === c.name ? c.item : { ...c.item, name: exposed } };
  });
  return entries.sort(byExposed);
}

function mergeUris(sources: readonly SourceView[], pick: (l: SourceListing) => RawItem[], key: 'uri' | 'uriTemplate', prefixed: boolean): Entry[] {
  const out: Entry[] = [];
  const taken = new Set<string>();
  for (const s of [...sources].sort((a, b) => a.order - b.order)) {
    for (const item of pick(s.listing)) {
      const uri = item[key];
      if (typeof uri !== 'string' || uri === '') continue;
      const exposed = exposeUri(s.prefix, uri, prefixed);
      // Unprefixed URIs from two servers would be ambiguous: the earlier server in the config owns it.
      if (taken.has(exposed)) continue;
      taken.add(exposed);
      out.push({ exposed, server: s.server, original: uri, item: exposed === uri ? item : { ...item, [key]: exposed } });
    }
  }
  return out.sort(byExposed);
}

function byExposed(a: Entry, b: Entry): number {
  return a.exposed < b.exposed ? -1 : a.exposed > b.exposed ? 1 : 0;
}
