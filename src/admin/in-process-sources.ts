import type { Catalog } from '../catalog/index.js';
import type { NamingRules } from '../catalog/index.js';
import { SwitchboardError, type Principal, type RawItem, type SourceListing } from '../shared/index.js';
import type { UpstreamConnection } from '../upstream/index.js';

/** What an in-process source does with a tools/call: the caller is the principal the gateway forwards for. */
export type InProcessCall = (tool: string, args: Record<string, unknown>, ctx: { caller: Principal | undefined; signal?: AbortSignal }) => Promise<RawItem>;

/**
 * Tool sources that live inside the gateway (hosted servers, the management tools) beside the
 * upstreams: the catalogue merges their listings under the same naming rules, and the gateway reaches
 * them through the same connection interface, so the gate, the activity log and the naming apply alike.
 */
export interface InProcessSources {
  /** Add or replace a source. A name an upstream server already uses is not published (the upstream keeps it). */
  set(name: string, listing: SourceListing, call: InProcessCall): void;
  remove(name: string): void;
  /** A connection-shaped handle for the gateway; undefined for names that are not in-process sources. */
  connection(name: string): UpstreamConnection | undefined;
  /** Whether the name is taken by an upstream server (so the in-process source is not published). */
  shadowed(name: string): boolean;
  /** The catalogue as the servers service must see it: its `configure` keeps the in-process sources in. */
  readonly catalog: Catalog;
}

/**
 * The servers service configures the catalogue with the upstream servers only; this wrapper appends
 * the in-process sources to every such call, so neither the servers service nor the catalogue needs
 * to know that they exist.
 */
export function createInProcessSources(catalog: Catalog, defaultRules: () => NamingRules): InProcessSources {
  const sources = new Map<string, { listing: SourceListing; call: InProcessCall; connection: UpstreamConnection }>();
  let upstreams: readonly { name: string; prefix: string }[] = [];
  let rules: NamingRules | undefined;

  const upstreamNames = () => new Set(upstreams.map((u) => u.name));
  function configure(): void {
    const taken = upstreamNames();
    const mine = [...sources.keys()].filter((n) => !taken.has(n)).map((name) => ({ name, prefix: name }));
    catalog.configure([...upstreams, ...mine], rules ?? defaultRules());
    for (const { name } of mine) catalog.setSource(name, sources.get(name)!.listing);
  }

  function connectionFor(name: string): UpstreamConnection {
    return {
      capabilities: { tools: { listChanged: true } },
      serverInfo: { name, version: 'in-process' },
      instructions: undefined,
      protocolVersion: undefined,
      pid: undefined,
      async request(method, params, opts) {
        const source = sources.get(name);
        if (!source) throw new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', `'${name}' is not running`, { server: name });
        if (method !== 'tools/call') throw new SwitchboardError('SWB_HTTP_BAD_REQUEST', `'${name}' offers tools only; ${method} is not supported`, { server: name, method });
        const args = params?.['arguments'];
        return source.call(String(params?.['name'] ?? ''), args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {}, { caller: opts.caller, ...(opts.signal ? { signal: opts.signal } : {}) });
      },
      notify: async () => undefined,
      listAll: async () => sources.get(name)?.listing ?? { tools: [], resources: [], resourceTemplates: [], prompts: [] },
      close: async () => undefined,
    };
  }

  const wrapped: Catalog = {
    snapshot: () => catalog.snapshot(),
    setSource: (server, listing) => catalog.setSource(server, listing),
    removeSource: (server) => catalog.removeSource(server),
    configure(servers, nextRules) {
      upstreams = [...servers];
      rules = nextRules;
      configure();
    },
    resolveUri: (uri) => catalog.resolveUri(uri),
    onChange: (listener) => catalog.onChange(listener),
  };

  return {
    set(name, listing, call) {
      const known = sources.get(name);
      sources.set(name, { listing, call, connection: known?.connection ?? connectionFor(name) });
      if (!known) configure();
      else if (!upstreamNames().has(name)) catalog.setSource(name, listing);
    },
    remove(name) {
      if (!sources.delete(name)) return;
      if (!upstreamNames().has(name)) catalog.removeSource(name);
      configure();
    },
    connection: (name) => (upstreamNames().has(name) ? undefined : sources.get(name)?.connection),
    shadowed: (name) => upstreamNames().has(name),
    catalog: wrapped,
  };
}
