import type { ListKind, SourceListing } from '../shared/index.js';
import { mergeSources, type Entry, type MergedCatalog, type SourceView } from './merge.js';
import type { NamingRules } from './naming.js';
import { matchesTemplate, parseExposedUri } from './resource-uris.js';

/** An immutable view of the merged catalogue with lookup maps; swapped whole on every change. */
export interface CatalogSnapshot extends MergedCatalog {
  version: number;
  toolsByName: ReadonlyMap<string, Entry>;
  promptsByName: ReadonlyMap<string, Entry>;
  resourcesByUri: ReadonlyMap<string, Entry>;
}

export interface ResolvedUri {
  server: string;
  uri: string;
}

export interface Catalog {
  /** The current snapshot: the hot path reads this and never waits for an upstream. */
  snapshot(): CatalogSnapshot;
  /** Replace (or add) one source's listing; listeners hear which lists changed. */
  setSource(server: string, listing: SourceListing): void;
  /** Take a source out (disconnected, disabled, removed). */
  removeSource(server: string): void;
  /** Update the configured order/prefix of servers (config reload). */
  configure(servers: readonly { name: string; prefix: string }[], rules: NamingRules): void;
  /** Resolve an exposed resource URI to the owning server and its own URI. */
  resolveUri(uri: string): ResolvedUri | undefined;
  onChange(listener: (kinds: ListKind[]) => void): () => void;
}

export function createCatalog(rules: NamingRules): Catalog {
  let naming = rules;
  let order = new Map<string, { order: number; prefix: string }>();
  const listings = new Map<string, SourceListing>();
  const listeners = new Set<(kinds: ListKind[]) => void>();
  let current = buildSnapshot([], naming, 0);

  function rebuild(): void {
    const views: SourceView[] = [];
    for (const [server, listing] of listings) {
      const o = order.get(server);
      if (o) views.push({ server, prefix: o.prefix, order: o.order, listing });
    }
    const next = buildSnapshot(views, naming, current.version + 1);
    const kinds = changedKinds(current, next);
    current = next;
    if (kinds.length) for (const l of listeners) l(kinds);
  }

  return {
    snapshot: () => current,
    setSource(server, listing) {
      listings.set(server, listing);
      rebuild();
    },
    removeSource(server) {
      if (listings.delete(server)) rebuild();
    },
    configure(servers, nextRules) {
      order = new Map(servers.map((s, i) => [s.name, { order: i, prefix: s.prefix }]));
      naming = nextRules;
      rebuild();
    },
    resolveUri(uri) {
      return resolveUri(current, uri, naming, order);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function buildSnapshot(views: SourceView[], rules: NamingRules, version: number): CatalogSnapshot {
  const merged = mergeSources(views, rules);
  return {
    ...merged,
    version,
    toolsByName: new Map(merged.tools.map((e) => [e.exposed, e])),
    promptsByName: new Map(merged.prompts.map((e) => [e.exposed, e])),
    resourcesByUri: new Map(merged.resources.map((e) => [e.exposed, e])),
  };
}

function resolveUri(snap: CatalogSnapshot, uri: string, rules: NamingRules, order: Map<string, { prefix: string }>): ResolvedUri | undefined {
  const known = snap.resourcesByUri.get(uri);
  if (known) return { server: known.server, uri: known.original };
  if (rules.prefix === 'always') {
    const parsed = parseExposedUri(uri);
    if (!parsed) return undefined;
    for (const [server, o] of order) if (o.prefix === parsed.serverPrefix) return { server, uri: parsed.uri };
    return undefined;
  }
  // Unprefixed: a URI not in any listing may still belong to a template (or be readable by the only
  // server that offers resources).
  const tpl = snap.resourceTemplates.find((t) => matchesTemplate(t.original, uri));
  if (tpl) return { server: tpl.server, uri };
  const owners = new Set([...snap.resources, ...snap.resourceTemplates].map((e) => e.server));
  if (owners.size === 1) return { server: [...owners][0]!, uri };
  return undefined;
}

/** Which client-visible lists differ between two snapshots (so only those get list_changed). */
function changedKinds(a: MergedCatalog, b: MergedCatalog): ListKind[] {
  const kinds: ListKind[] = [];
  if (!sameEntries(a.tools, b.tools)) kinds.push('tools');
  if (!sameEntries(a.prompts, b.prompts)) kinds.push('prompts');
  if (!sameEntries(a.resources, b.resources) || !sameEntries(a.resourceTemplates, b.resourceTemplates)) kinds.push('resources');
  return kinds;
}

function sameEntries(a: readonly Entry[], b: readonly Entry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.exposed !== y.exposed || x.server !== y.server || JSON.stringify(x.item) !== JSON.stringify(y.item)) return false;
  }
  return true;
}
