import { randomUUID } from 'node:crypto';
import { DEFAULT_ALLOWED_MODULES, isAlwaysForbidden, transition, TOOL_STATUSES, type ToolStatus } from '../hosted/index.js';
import { SwitchboardError, type Principal } from '../shared/index.js';
import type { HostedRequestKind, HostedRequestRecord, HostedRequestStatus, HostedToolRecord } from '../store/index.js';
import { formatAllowedHost, parseAllowedHost } from './allowed-hosts.js';
import { actorKey, moduleAllowed, requestView, requireHostedScope, type HostedActor, type HostedCore, type HostedRequestView, type HostedToolView } from './hosted-core.js';
import type { DecisionInput, ModuleRequestInput, ModulesPatch, NetworkRequestInput } from './hosted-inputs.js';

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export interface ApprovalStats {
  tools: Record<ToolStatus, number>;
  modules: Record<HostedRequestStatus, number>;
  network: Record<HostedRequestStatus, number>;
  pending_total: number;
}

export interface ModulesView {
  /** Importable now: the defaults plus the admin's additions. */
  allowed: string[];
  defaults: string[];
  /** What admins added (the `allowed_modules_extra` setting). */
  added: string[];
  /** Never importable, whatever the list says. */
  always_forbidden_examples: string[];
}

/**
 * The approval workflow: publish requests, module and network-access requests (anyone with `write`
 * asks, through any face), and the admin's decisions. Decisions need the `admin` scope, and a
 * principal can never decide on work it submitted through the MCP management tools — an LLM acting
 * with an admin key cannot approve its own tool, module or network request. The MCP faces offer no
 * decision at all; this rule holds even if one is ever added.
 */
export interface ApprovalsService {
  requestPublish(toolId: string, note: string | undefined, who: HostedActor): Promise<HostedToolView>;
  requestModule(server: string, input: ModuleRequestInput, who: HostedActor): Promise<HostedRequestView>;
  requestNetwork(server: string, input: NetworkRequestInput, who: HostedActor): Promise<HostedRequestView>;
  /** Tools waiting for review. */
  pendingTools(actor: Principal): Promise<HostedToolView[]>;
  decideTool(toolId: string, decision: DecisionInput, actor: Principal): Promise<HostedToolView>;
  revokeTool(toolId: string, reason: string | undefined, actor: Principal): Promise<HostedToolView>;
  requests(kind: HostedRequestKind, status: HostedRequestStatus | undefined, actor: Principal, server?: string): Promise<HostedRequestView[]>;
  decideRequest(kind: HostedRequestKind, id: string, decision: DecisionInput, actor: Principal): Promise<HostedRequestView>;
  stats(actor: Principal): Promise<ApprovalStats>;
  modules(actor: Principal): ModulesView;
  updateModules(patch: ModulesPatch, actor: Principal): Promise<ModulesView>;
}

function requireDecider(actor: Principal, submittedBy: string, submittedVia: string, what: string, decision?: DecisionInput): void {
  requireHostedScope(actor, 'admin');
  if (decision?.action === 'reject' && !decision.reason?.trim()) throw new SwitchboardError('SWB_VALIDATION_FAILED', 'A rejection needs a reason', { issues: [{ path: 'reason', message: 'required when rejecting' }] });
  if (submittedVia === 'mcp' && submittedBy === actorKey(actor)) {
    throw new SwitchboardError('SWB_HOSTED_FORBIDDEN', `${what} was submitted through the MCP management tools with these same credentials; another admin must decide on it`, { submitted_by: submittedBy });
  }
}

export function createApprovalsService(core: HostedCore): ApprovalsService {
  const repo = core.deps.store.hosted;
  const settings = core.settings;

  async function decideToolAs(t: HostedToolRecord, event: 'approve' | 'reject' | 'revoke', reason: string | undefined, actor: Principal): Promise<HostedToolRecord> {
    const status = transition(t.status, event);
    const saved = await repo.saveTool(t.id, t.status, { status, review: { by: actor.name, at: new Date().toISOString(), ...(reason ? { reason } : {}) } });
    core.announce(actor, `hosted.tools.${event}`, `${t.server}/${t.name}`, { status: t.status }, { status, version: t.version, ...(reason ? { reason } : {}) });
    await core.refresh();
    return saved;
  }

  async function modulesAdd(names: readonly string[], actor: Principal): Promise<void> {
    const current = settings.get().allowed_modules_extra;
    const next = [...new Set([...current, ...names])];
    if (next.length !== current.length) await settings.update({ allowed_modules_extra: next }, actor);
  }

  function modulesView(): ModulesView {
    return { allowed: core.allowedModules(), defaults: [...DEFAULT_ALLOWED_MODULES], added: [...settings.get().allowed_modules_extra], always_forbidden_examples: ['os', 'sys', 'subprocess', 'socket', 'ctypes', 'pickle', 'importlib', 'js', 'pyodide'] };
  }

  async function request(kind: HostedRequestKind, server: string, target: string, justification: string, toolId: string | undefined, who: HostedActor): Promise<HostedRequestRecord> {
    requireHostedScope(who.actor, 'write');
    await core.server(server);
    if (toolId !== undefined && (await core.tool(toolId)).server !== server) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Tool '${toolId}' belongs to another server`, { tool_id: toolId });
    const open = await repo.requests({ kind, server, status: 'pending' });
    if (open.some((r) => r.target === target)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A ${kind} request for '${target}' is already pending`, { target });
    const rec = await repo.insertRequest({ id: randomUUID(), kind, server, target, justification, status: 'pending', requestedBy: actorKey(who.actor), requestedVia: who.via, ...(toolId ? { toolId } : {}) });
    core.announce(who.actor, `hosted.requests.${kind}`, `${server}/${target}`, undefined, { id: rec.id, via: who.via });
    return rec;
  }

  return {
    async requestPublish(toolId, note, who) {
      requireHostedScope(who.actor, 'write');
      const t = await core.tool(toolId);
      const status = transition(t.status, 'request_publish');
      let saved = await repo.saveTool(t.id, t.status, { status, publishRequestedAt: new Date().toISOString(), publishNote: note, submittedBy: actorKey(who.actor), submittedVia: who.via });
      core.announce(who.actor, 'hosted.tools.request_publish', `${t.server}/${t.name}`, { status: t.status }, { status, via: who.via });
      // auto_approve only ever covers an admin's own request through the REST API or CLI.
      if (settings.get().tool_approval_mode === 'auto_approve' && who.via === 'api' && who.actor.scopes.includes('admin')) saved = await decideToolAs(saved, 'approve', 'auto-approved (tool_approval_mode)', who.actor);
      await core.refresh();
      return core.toolView(saved);
    },
    async requestModule(server, input, who) {
      const module = input.module.trim();
      if (!MODULE_NAME.test(module)) throw new SwitchboardError('SWB_VALIDATION_FAILED', `'${module.slice(0, 100)}' is not a Python module name`, { issues: [{ path: 'module', message: 'not a module name' }] });
      if (isAlwaysForbidden(module)) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Module '${module}' can never be allowed in the sandbox`, { module });
      if (moduleAllowed(core.allowedModules(), module)) throw new SwitchboardError('SWB_STATE_CONFLICT', `Module '${module}' is already allowed`, { module });
      const rec = await request('module', server, module, input.justification, input.tool_id, who);
      if (settings.get().module_approval_mode === 'auto_approve') {
        await repo.decideRequest(rec.id, 'pending', 'approved', { by: 'auto-approved (module_approval_mode)' });
        await modulesAdd([module], who.actor);
      }
      return requestView((await repo.request(rec.id))!);
    },
    async requestNetwork(server, input, who) {
      const parsed = parseAllowedHost(input.host);
      if (typeof parsed === 'string') throw new SwitchboardError('SWB_VALIDATION_FAILED', `Invalid host '${input.host.slice(0, 100)}': ${parsed}`, { issues: [{ path: 'host', message: parsed }] });
      const target = formatAllowedHost(parsed);
      if ((await core.server(server)).allowedHosts.includes(target)) throw new SwitchboardError('SWB_STATE_CONFLICT', `'${target}' is already an allowed host of '${server}'`, { host: target });
      return requestView(await request('network', server, target, input.justification, input.tool_id, who));
    },
    async pendingTools(actor) {
      requireHostedScope(actor, 'read');
      return (await repo.tools()).filter((t) => t.status === 'pending_review').map((t) => core.toolView(t));
    },
    async decideTool(toolId, decision, actor) {
      const t = await core.tool(toolId);
      requireDecider(actor, t.submittedBy, t.submittedVia, `Tool '${t.name}'`, decision);
      return core.toolView(await decideToolAs(t, decision.action, decision.reason, actor));
    },
    async revokeTool(toolId, reason, actor) {
      requireHostedScope(actor, 'admin');
      return core.toolView(await decideToolAs(await core.tool(toolId), 'revoke', reason, actor));
    },
    async requests(kind, status, actor, server) {
      requireHostedScope(actor, 'read');
      return (await repo.requests({ kind, ...(status ? { status } : {}), ...(server ? { server } : {}) })).map(requestView);
    },
    async decideRequest(kind, id, decision, actor) {
      const r = await repo.request(id);
      if (!r || r.kind !== kind) throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `No ${kind} request with id '${id}'`, { id });
      requireDecider(actor, r.requestedBy, r.requestedVia, `This ${kind} request`, decision);
      const to = decision.action === 'approve' ? 'approved' : 'rejected';
      if (!(await repo.decideRequest(id, 'pending', to, { by: actor.name, ...(decision.reason ? { reason: decision.reason } : {}) }))) {
        throw new SwitchboardError('SWB_HOSTED_TRANSITION_INVALID', `The request is ${(await repo.request(id))?.status ?? 'gone'}, not pending`, { id });
      }
      if (to === 'approved' && kind === 'module') await modulesAdd([r.target], actor);
      core.announce(actor, `hosted.requests.${kind}.${decision.action}`, `${r.server}/${r.target}`, { status: 'pending' }, { status: to, ...(decision.reason ? { reason: decision.reason } : {}) });
      await core.refresh();
      return requestView((await repo.request(id))!);
    },
    async stats(actor) {
      requireHostedScope(actor, 'read');
      const tools = Object.fromEntries(TOOL_STATUSES.map((s) => [s, 0])) as Record<ToolStatus, number>;
      for (const t of await repo.tools()) if (t.status in tools) tools[t.status as ToolStatus]++;
      const count = (list: HostedRequestRecord[]) => {
        const out: Record<HostedRequestStatus, number> = { pending: 0, approved: 0, rejected: 0, revoked: 0 };
        for (const r of list) out[r.status]++;
        return out;
      };
      const modules = count(await repo.requests({ kind: 'module' }));
      const network = count(await repo.requests({ kind: 'network' }));
      return { tools, modules, network, pending_total: tools.pending_review + modules.pending + network.pending };
    },
    modules(actor) {
      requireHostedScope(actor, 'read');
      return modulesView();
    },
    async updateModules(patch, actor) {
      requireHostedScope(actor, 'admin');
      const add = (patch.add ?? []).map((m) => m.trim());
      const bad = add.filter((m) => !MODULE_NAME.test(m) || isAlwaysForbidden(m));
      if (bad.length) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Cannot allow: ${bad.join(', ')} (not a module name, or never allowed in the sandbox)`, { issues: bad.map((m) => ({ path: 'add', message: `${m}: not allowed` })) });
      const remove = new Set(patch.remove ?? []);
      const next = [...new Set([...settings.get().allowed_modules_extra, ...add])].filter((m) => !remove.has(m));
      await settings.update({ allowed_modules_extra: next }, actor);
      return modulesView();
    },
  };
}
