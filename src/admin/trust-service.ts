import { SwitchboardError, type Principal, type RawItem, type SourceListing } from '../shared/index.js';
import type { StoredPin } from '../store/index.js';
import {
  approvePin,
  blockPin,
  diffDefinitions,
  isVisible,
  pinKey,
  reviewListing,
  scanDefinition,
  type DefinitionChange,
  type Finding,
  type Pin,
  type PinKind,
  type PinnedDefinition,
  type PinState,
  type Transition,
} from '../trust/index.js';
import type { AdminDeps } from './admin.js';
import { requireScope } from './servers-contract.js';

/** One pinned tool or prompt, as the API shows it. */
export interface PinView {
  server: string;
  kind: PinKind;
  name: string;
  state: PinState;
  /** Whether the upstream offers it in its current listing. */
  present: boolean;
  fingerprint: string;
  approved_fingerprint: string | null;
  findings: Finding[];
  decided_by: string | null;
  updated_at: string;
}

export interface PinDiffView extends PinView {
  approved: PinnedDefinition | null;
  current: PinnedDefinition;
  changes: DefinitionChange[];
}

export interface ServerTrustView {
  server: string;
  /** What applies: the server's override, or the `auto_approve_tool_changes` setting. */
  auto_approve_tool_changes: boolean;
  /** The server's own value; null follows the setting. */
  auto_approve_override: boolean | null;
  counts: Record<PinState, number>;
  tools: PinView[];
  prompts: PinView[];
}

export interface TrustOptions {
  /** The `auto_approve_tool_changes` setting. */
  autoApproveSetting: () => boolean;
  /** Re-publish a server's last listing (after a decision changed what is visible). */
  republish: (server: string) => void;
  /** Throws SWB_SERVER_NOT_FOUND for an unknown server. */
  requireServer: (server: string) => Promise<unknown>;
}

/**
 * Trust in upstream definitions: every listing is reviewed against the pins before it reaches the
 * catalogue (in memory, synchronously, so hiding costs nothing per request); pins are persisted and
 * every move is recorded in the activity log. Admins approve or block per tool or prompt.
 */
export interface TrustService {
  /** Resolves once the pins are loaded; until then listings are held back entirely (fail closed). */
  readonly ready: Promise<void>;
  /** The listing without what is not approved. Called for every listing an upstream delivers. */
  review(server: string, listing: SourceListing): SourceListing;
  /** Drop a deleted server's pins and settings. */
  forget(server: string): Promise<void>;
  /** Re-read pins and overrides from the store (a backup restore wrote them) and re-review current listings. */
  reload(): Promise<void>;
  server(server: string): Promise<ServerTrustView>;
  diff(server: string, kind: PinKind, name: string): Promise<PinDiffView>;
  approve(server: string, kind: PinKind, name: string, actor: Principal): Promise<PinView>;
  block(server: string, kind: PinKind, name: string, actor: Principal): Promise<PinView>;
  setAutoApprove(server: string, value: boolean | null, actor: Principal): Promise<ServerTrustView>;
  /** Pins waiting for a decision (pending, changed, quarantined), across servers. */
  queue(): PinView[];
  /** Scanner findings on current definitions, across servers. */
  findings(filter?: { server?: string; severity?: Finding['severity'] }): (Finding & { server: string; kind: PinKind; name: string; state: PinState })[];
}

/** Who the activity log names for moves nobody asked for. */
const TRUST_ACTOR: Principal = { kind: 'local', id: 'trust', name: 'trust-review', scopes: [] };
const EMPTY_COUNTS = (): Record<PinState, number> => ({ approved: 0, pending: 0, changed: 0, quarantined: 0, blocked: 0 });
const WAITING: readonly PinState[] = ['pending', 'changed', 'quarantined'];

const toPin = (s: StoredPin): Pin => ({ ...s, kind: s.kind as PinKind, state: s.state as PinState, findings: s.findings as Finding[] });

export function createTrustService(deps: AdminDeps, opts: TrustOptions): TrustService {
  const repo = deps.store.trust;
  const pins = new Map<string, Map<string, Pin>>();
  const overrides = new Map<string, boolean | null>();
  /** Names each connected server offers now, per kind. */
  const present = new Map<string, Set<string>>();
  const held = new Set<string>();
  let loaded = false;
  let writes: Promise<unknown> = Promise.resolve();

  async function load(): Promise<void> {
    const [stored, trust] = [await repo.pins(), await repo.serverTrust()];
    pins.clear();
    overrides.clear();
    for (const p of stored) serverPins(p.server).set(pinKey(p.kind as PinKind, p.name), toPin(p));
    for (const t of trust) overrides.set(t.server, t.autoApprove);
  }

  const ready = (async () => {
    await load();
    loaded = true;
    for (const server of held) opts.republish(server);
    held.clear();
  })();

  function serverPins(server: string): Map<string, Pin> {
    let m = pins.get(server);
    if (!m) pins.set(server, (m = new Map()));
    return m;
  }

  /** The API's per-server override, then the config file's server entry, then the setting. */
  const autoApprove = (server: string) => overrides.get(server) ?? deps.config().servers.find((s) => s.name === server)?.autoApproveToolChanges ?? opts.autoApproveSetting();

  /** Writes are ordered and off the listing path; a failed write is logged, the memory state stays. */
  function persist(list: readonly Pin[]): void {
    if (!list.length) return;
    writes = writes
      .then(() => repo.write((w) => w.putPins(list)))
      .catch((err: unknown) => deps.logger.error({ err: (err as Error).message }, 'saving tool pins failed'));
  }

  function record(server: string, transitions: readonly Transition[]): void {
    const baseline = transitions.filter((t) => t.reason === 'baseline');
    if (baseline.length) {
      deps.activity.adminChange({
        actor: TRUST_ACTOR,
        action: 'trust.baseline',
        target: server,
        after: { approved: baseline.map((t) => `${t.pin.kind}:${t.pin.name}`), findings: baseline.flatMap((t) => t.pin.findings.map((f) => ({ ...f, name: t.pin.name }))) },
      });
    }
    for (const t of transitions) {
      if (t.reason === 'baseline') continue;
      const action = t.reason === 'scanner' ? 'trust.quarantined' : t.reason === 'new' ? 'trust.pending' : `trust.${t.reason}`;
      deps.activity.adminChange({
        actor: TRUST_ACTOR,
        action,
        target: `${server}/${t.pin.name}`,
        before: { state: t.from, fingerprint: t.pin.approvedFingerprint },
        after: { kind: t.pin.kind, state: t.pin.state, fingerprint: t.pin.fingerprint, findings: t.pin.findings },
      });
      if (t.pin.state !== 'approved') deps.logger.warn({ server, kind: t.pin.kind, name: t.pin.name, state: t.pin.state, findings: t.pin.findings.map((f) => f.rule) }, 'upstream definition held back');
    }
    if (transitions.length) deps.events.emit('servers.changed', { server, action: 'trust.review', changes: transitions.length });
  }

  function scanContext(server: string, listing: SourceListing) {
    const otherTools: { server: string; name: string }[] = [];
    for (const e of deps.catalog.snapshot().tools) {
      if (e.server === server) continue;
      otherTools.push({ server: e.server, name: e.original }, { server: e.server, name: e.exposed });
    }
    return { otherTools, ownTools: listing.tools.map((t) => String(t['name'] ?? '')) };
  }

  function view(p: Pin): PinView {
    return {
      server: p.server,
      kind: p.kind,
      name: p.name,
      state: p.state,
      present: present.get(p.server)?.has(pinKey(p.kind, p.name)) ?? false,
      fingerprint: p.fingerprint,
      approved_fingerprint: p.approvedFingerprint,
      findings: p.findings,
      decided_by: p.decidedBy,
      updated_at: p.updatedAt,
    };
  }

  async function pinOf(server: string, kind: PinKind, name: string): Promise<Pin> {
    await opts.requireServer(server);
    await ready;
    const p = pins.get(server)?.get(pinKey(kind, name));
    if (!p) {
      const code = kind === 'tool' ? 'SWB_TOOL_NOT_FOUND' : 'SWB_PROMPT_NOT_FOUND';
      throw new SwitchboardError(code, `Server '${server}' has never offered a ${kind} named '${name}'`, { server, [kind]: name });
    }
    return p;
  }

  async function decide(server: string, kind: PinKind, name: string, actor: Principal, verb: 'approve' | 'block'): Promise<PinView> {
    requireScope(actor, 'admin');
    const before = await pinOf(server, kind, name);
    const now = new Date().toISOString();
    const after = verb === 'approve' ? approvePin(before, actor.name, now) : blockPin(before, actor.name, now);
    serverPins(server).set(pinKey(kind, name), after);
    await repo.write((w) => w.putPins([after]));
    deps.activity.adminChange({ actor, action: `trust.${verb}`, target: `${server}/${name}`, before: { kind, state: before.state, fingerprint: before.approvedFingerprint }, after: { kind, state: after.state, fingerprint: after.fingerprint } });
    deps.events.emit('servers.changed', { server, action: `trust.${verb}` });
    opts.republish(server);
    return view(after);
  }

  async function serverView(server: string): Promise<ServerTrustView> {
    await opts.requireServer(server);
    await ready;
    const all = [...(pins.get(server)?.values() ?? [])].map(view);
    const counts = EMPTY_COUNTS();
    for (const p of all) counts[p.state]++;
    return {
      server,
      auto_approve_tool_changes: autoApprove(server),
      auto_approve_override: overrides.get(server) ?? null,
      counts,
      tools: all.filter((p) => p.kind === 'tool'),
      prompts: all.filter((p) => p.kind === 'prompt'),
    };
  }

  return {
    ready,
    review(server, listing) {
      present.set(server, new Set([...listing.tools.map((t) => pinKey('tool', String(t['name']))), ...listing.prompts.map((p) => pinKey('prompt', String(p['name'])))]));
      if (!loaded) {
        held.add(server);
        return { ...listing, tools: [], prompts: [] };
      }
      const mine = serverPins(server);
      let context: ReturnType<typeof scanContext> | undefined;
      const scan = (kind: PinKind, def: PinnedDefinition) => scanDefinition(kind, def, (context ??= scanContext(server, listing)));
      const ctx = { baseline: mine.size === 0, autoApprove: autoApprove(server), scan, now: new Date().toISOString() };
      const transitions = [...reviewListing(server, 'tool', listing.tools, mine, ctx), ...reviewListing(server, 'prompt', listing.prompts, mine, ctx)];
      for (const t of transitions) mine.set(pinKey(t.pin.kind, t.pin.name), t.pin);
      persist(transitions.map((t) => t.pin));
      record(server, transitions);
      const visible = (kind: PinKind) => (item: RawItem) => isVisible(mine.get(pinKey(kind, String(item['name']))));
      return { ...listing, tools: listing.tools.filter(visible('tool')), prompts: listing.prompts.filter(visible('prompt')) };
    },
    async forget(server) {
      await ready;
      pins.delete(server);
      overrides.delete(server);
      present.delete(server);
      await writes;
      await repo.write((w) => w.deletePins(server));
    },
    async reload() {
      await ready;
      await writes;
      await load();
      for (const server of present.keys()) opts.republish(server);
    },
    server: serverView,
    async diff(server, kind, name) {
      const p = await pinOf(server, kind, name);
      return { ...view(p), approved: p.approvedDefinition, current: p.definition, changes: diffDefinitions(p.approvedDefinition, p.definition) };
    },
    approve: (server, kind, name, actor) => decide(server, kind, name, actor, 'approve'),
    block: (server, kind, name, actor) => decide(server, kind, name, actor, 'block'),
    async setAutoApprove(server, value, actor) {
      requireScope(actor, 'admin');
      await opts.requireServer(server);
      await ready;
      const before = overrides.get(server) ?? null;
      await repo.write((w) => w.putServerTrust(server, value));
      overrides.set(server, value);
      deps.activity.adminChange({ actor, action: 'trust.auto_approve', target: server, before: { auto_approve_tool_changes: before }, after: { auto_approve_tool_changes: value } });
      return serverView(server);
    },
    queue() {
      return [...pins.values()].flatMap((m) => [...m.values()]).filter((p) => WAITING.includes(p.state)).map(view);
    },
    findings(filter = {}) {
      const out: ReturnType<TrustService['findings']> = [];
      for (const [server, m] of pins) {
        if (filter.server && filter.server !== server) continue;
        for (const p of m.values()) for (const f of p.findings) if (!filter.severity || f.severity === filter.severity) out.push({ ...f, server, kind: p.kind, name: p.name, state: p.state });
      }
      return out;
    },
  };
}
