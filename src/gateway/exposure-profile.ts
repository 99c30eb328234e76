import type { Catalog, Entry } from '../catalog/index.js';
import { filterVisible, matchesAny, viewSignature } from '../policy/index.js';
import { SwitchboardError, type Principal, type ProfileDefinition, type RawItem } from '../shared/index.js';
import type { GatedRequests, RequestLink } from './gated-requests.js';

/** Where profiles come from (the admin's profiles service): synchronous and in memory. */
export interface ProfileLookup {
  /** Changes whenever a profile changes. */
  version(): number;
  get(name: string): ProfileDefinition | undefined;
}

interface ProfileView {
  list: RawItem;
  /** Profile tool name → the catalogue's exposed name. */
  targets: Map<string, string>;
}

const MAX_VIEWS = 512;

/**
 * A named profile as a virtual server: the caller's visible tools picked by the profile's patterns (in
 * the profile's order; the first pick of a tool wins), presented under the profile's overrides. Views
 * are built once per catalogue version, profile version and policy view signature.
 */
export class ProfileExposure {
  private key = '';
  private views = new Map<string, ProfileView>();

  constructor(
    private readonly catalog: Catalog,
    private readonly gated: GatedRequests,
    private readonly profiles: ProfileLookup,
  ) {}

  exists(profile: string): boolean {
    return this.profiles.get(profile) !== undefined;
  }

  list(caller: Principal, profile: string): RawItem {
    return this.view(caller, profile).list;
  }

  async call(link: RequestLink, profile: string, p: { name: string } & RawItem): Promise<RawItem> {
    const target = this.view(link.caller, profile).targets.get(p.name);
    // Not in the profile looks exactly like a tool that does not exist.
    if (!target) throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${p.name}`, { name: p.name });
    return this.gated.callTool(link, { ...p, name: target }, 'result');
  }

  private view(caller: Principal, profile: string): ProfileView {
    const snap = this.catalog.snapshot();
    const key = `${snap.version}:${this.profiles.version()}`;
    if (key !== this.key) {
      this.key = key;
      this.views = new Map();
    }
    const viewKey = `${profile}\0${viewSignature(caller, 'tool')}`;
    let v = this.views.get(viewKey);
    if (v) return v;
    v = build(this.profiles.get(profile), filterVisible(caller, snap.tools.map((entry) => ({ kind: 'tool' as const, server: entry.server, name: entry.exposed, original: entry.original, entry }))).map((c) => c.entry));
    if (this.views.size < MAX_VIEWS) this.views.set(viewKey, v);
    return v;
  }
}

function build(def: ProfileDefinition | undefined, visible: readonly Entry[]): ProfileView {
  const tools: RawItem[] = [];
  const targets = new Map<string, string>();
  const taken = new Set<string>();
  for (const pick of def?.tools ?? []) {
    const byOriginal = pick.match.includes('/');
    for (const e of visible) {
      if (taken.has(e.exposed) || !matchesAny([pick.match], byOriginal ? `${e.server}/${e.original}` : e.exposed)) continue;
      const name = pick.name ?? e.exposed;
      // Two picks presenting tools under one name: the first keeps it.
      if (targets.has(name)) continue;
      taken.add(e.exposed);
      targets.set(name, e.exposed);
      const annotations = pick.annotations ? { ...((e.item['annotations'] as RawItem | undefined) ?? {}), ...pick.annotations } : undefined;
      tools.push({
        ...e.item,
        name,
        ...(pick.title !== undefined ? { title: pick.title } : {}),
        ...(pick.description !== undefined ? { description: pick.description } : {}),
        ...(annotations ? { annotations } : {}),
      });
    }
  }
  return { list: { tools }, targets };
}
