import { randomUUID } from 'node:crypto';
import { isAlwaysForbidden, transition, unifiedDiff, type CodeAnalysis, type ToolEvent } from '../hosted/index.js';
import { SwitchboardError } from '../shared/index.js';
import type { HostedToolLanguage, HostedToolRecord, ToolPatch } from '../store/index.js';
import { normaliseAllowedHosts } from './allowed-hosts.js';
import { actorKey, executionView, moduleAllowed, parsedHosts, requireEditing, requireHostedScope, type ExecutionView, type HostedActor, type HostedCore, type HostedServerView, type HostedToolView } from './hosted-core.js';
import type { HostedServerCreate, HostedServerPatch, HostedToolCreate, HostedToolPatch, TestCodeInput } from './hosted-inputs.js';

export interface ToolVersionView {
  version: number;
  note: string;
  description: string | null;
  input_schema: Record<string, unknown>;
  language: HostedToolLanguage;
  code?: string;
  created_by: string;
  created_at: string;
}

/** validate-code's answer (snake_case for the faces). */
export interface CodeCheck {
  valid: boolean;
  errors: CodeAnalysis['errors'];
  warnings: CodeAnalysis['warnings'];
  imports: string[];
  description: string | null;
  input_schema: Record<string, unknown> | null;
}

export interface TestRun {
  ok: boolean;
  tool_id: string;
  version: number;
  value?: unknown;
  structured_content?: Record<string, unknown>;
  text?: string;
  error?: { kind: string; message: string };
  stdout: string;
  duration_ms: number;
}

/**
 * Hosted servers (groups of Python tools with their secrets and allowed hosts) and their tools: CRUD,
 * start/stop, versions (list, get, compare, rollback), validate and test. Approvals are in
 * approvals-service.ts. Every method takes who acts and through which face.
 */
export interface HostedService {
  readonly ready: Promise<void>;
  listServers(who: HostedActor): Promise<HostedServerView[]>;
  getServer(name: string, who: HostedActor): Promise<HostedServerView>;
  createServer(input: HostedServerCreate, who: HostedActor): Promise<HostedServerView>;
  updateServer(name: string, patch: HostedServerPatch, who: HostedActor): Promise<HostedServerView>;
  deleteServer(name: string, who: HostedActor): Promise<void>;
  setRunning(name: string, running: boolean, who: HostedActor): Promise<HostedServerView>;
  listTools(server: string, who: HostedActor): Promise<HostedToolView[]>;
  getTool(id: string, who: HostedActor): Promise<HostedToolView>;
  createTool(server: string, input: HostedToolCreate, who: HostedActor): Promise<HostedToolView>;
  updateTool(id: string, patch: HostedToolPatch, who: HostedActor): Promise<HostedToolView>;
  deleteTool(id: string, who: HostedActor): Promise<void>;
  versions(id: string, who: HostedActor): Promise<ToolVersionView[]>;
  version(id: string, version: number, who: HostedActor): Promise<ToolVersionView>;
  compare(id: string, from: number, to: number, who: HostedActor): Promise<{ tool_id: string; from: number; to: number; diff: string; description_changed: boolean; schema_changed: boolean }>;
  rollback(id: string, version: number, who: HostedActor): Promise<HostedToolView>;
  validateCode(code: string, who: HostedActor, language?: HostedToolLanguage): Promise<CodeCheck>;
  testCode(input: TestCodeInput, who: HostedActor): Promise<TestRun>;
  logs(id: string, limit: number, who: HostedActor): Promise<ExecutionView[]>;
  close(): Promise<void>;
}

export function createHostedService(core: HostedCore): HostedService {
  const repo = core.deps.store.hosted;
  const read = (who: HostedActor) => requireHostedScope(who.actor, 'read');

  async function analyse(code: string, language: HostedToolLanguage = 'python'): Promise<CodeAnalysis> {
    const allowed = core.allowedModules();
    // JavaScript tools import nothing: their analysis has no module whitelist to apply.
    if (language === 'javascript') return core.sandbox.analyze(code, { language });
    const a = await core.sandbox.analyze(code, { allowedModules: allowed });
    // A module that is merely not whitelisted yet can be requested: saving such code is allowed (it
    // fails at run time until an admin approves the module); always-forbidden ones are errors.
    const requestable = a.imports.filter((m) => !moduleAllowed(allowed, m) && !isAlwaysForbidden(m));
    const blocked = a.imports.filter((m) => isAlwaysForbidden(m));
    if (requestable.length && !blocked.length && a.errors.every((e) => e.kind === 'forbidden_import')) {
      return { ...a, valid: true, errors: [], warnings: [...a.warnings, ...requestable.map((m) => ({ kind: 'forbidden_import' as const, message: `module '${m}' is not on the whitelist: request it (module request) before the tool can run` }))] };
    }
    return a;
  }

  async function checked(code: string, language: HostedToolLanguage = 'python'): Promise<CodeAnalysis> {
    const a = await analyse(code, language);
    if (!a.valid) throw new SwitchboardError('SWB_HOSTED_CODE_INVALID', `The code is not a valid tool: ${a.errors.map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message}`).join('; ')}`.slice(0, 2000), { errors: a.errors });
    return a;
  }

  async function serverViews(): Promise<HostedServerView[]> {
    const { servers, tools } = await repo.loadAll();
    return servers.map((s) => core.serverView(s, tools));
  }
  async function serverView(name: string): Promise<HostedServerView> {
    const s = await core.server(name);
    return core.serverView(s, await repo.tools(name));
  }

  const versionView = (v: { version: number; note: string; description?: string; inputSchema: Record<string, unknown>; language: HostedToolLanguage; code: string; createdBy: string; createdAt: string }, withCode: boolean): ToolVersionView => ({
    version: v.version,
    note: v.note,
    description: v.description ?? null,
    input_schema: v.inputSchema,
    language: v.language,
    ...(withCode ? { code: v.code } : {}),
    created_by: v.createdBy,
    created_at: v.createdAt,
  });

  /** Save a code (or name/description) change as a new version, moving the status by `event`. */
  async function saveChange(t: HostedToolRecord, event: ToolEvent, patch: ToolPatch, note: string, who: HostedActor): Promise<HostedToolRecord> {
    const status = transition(t.status, event);
    const saved = await repo.saveTool(t.id, t.status, { ...patch, status, version: t.version + 1, submittedBy: actorKey(who.actor), submittedVia: who.via, ...(status !== 'approved' && t.status === 'approved' ? { review: null } : {}) }, { note, by: who.actor.name });
    core.announce(who.actor, `hosted.tools.${event}`, `${t.server}/${t.name}`, { status: t.status, version: t.version }, { status: saved.status, version: saved.version });
    await core.refresh();
    return saved;
  }

  async function versionOf(id: string, version: number) {
    const v = await repo.version(id, version);
    if (!v) throw new SwitchboardError('SWB_ITEM_NOT_FOUND', `Tool '${id}' has no version ${version}`, { id, version });
    return v;
  }

  return {
    ready: core.ready,
    async listServers(who) {
      read(who);
      return serverViews();
    },
    async getServer(name, who) {
      read(who);
      return serverView(name);
    },
    async createServer(input, who) {
      requireEditing(core, who);
      if ((await core.servers.list()).some((s) => s.name === input.name)) throw new SwitchboardError('SWB_STATE_CONFLICT', `A server named '${input.name}' already exists; hosted and upstream servers share one namespace`, { name: input.name });
      const allowedHosts = normaliseAllowedHosts(input.allowed_hosts ?? []);
      await repo.insertServer({ name: input.name, running: false, allowedHosts, createdBy: who.actor.name, ...(input.description !== undefined ? { description: input.description } : {}), ...(input.timeout_ms !== undefined ? { timeoutMs: input.timeout_ms } : {}) });
      core.announce(who.actor, 'hosted.servers.create', input.name, undefined, { allowed_hosts: allowedHosts });
      return serverView(input.name);
    },
    async updateServer(name, patch, who) {
      requireEditing(core, who);
      const before = await core.server(name);
      await repo.updateServer(name, {
        ...(patch.description !== undefined ? { description: patch.description ?? undefined } : {}),
        ...(patch.allowed_hosts !== undefined ? { allowedHosts: normaliseAllowedHosts(patch.allowed_hosts) } : {}),
        ...(patch.timeout_ms !== undefined ? { timeoutMs: patch.timeout_ms ?? undefined } : {}),
      });
      const after = await core.server(name);
      core.announce(who.actor, 'hosted.servers.update', name, { allowed_hosts: before.allowedHosts, timeout_ms: before.timeoutMs ?? null }, { allowed_hosts: after.allowedHosts, timeout_ms: after.timeoutMs ?? null });
      await core.refresh();
      return serverView(name);
    },
    async deleteServer(name, who) {
      requireEditing(core, who);
      await core.server(name);
      await repo.deleteServer(name);
      await core.secrets.deleteAllFor(name, who.actor);
      core.announce(who.actor, 'hosted.servers.delete', name);
      await core.refresh();
    },
    async setRunning(name, running, who) {
      requireEditing(core, who);
      const s = await core.server(name);
      if (s.running !== running) {
        await repo.updateServer(name, { running });
        core.announce(who.actor, running ? 'hosted.servers.start' : 'hosted.servers.stop', name, { running: s.running }, { running });
        await core.refresh();
      }
      return serverView(name);
    },
    async listTools(server, who) {
      read(who);
      await core.server(server);
      return (await repo.tools(server)).map((t) => core.toolView(t));
    },
    async getTool(id, who) {
      read(who);
      return core.toolView(await core.tool(id), true);
    },
    async createTool(server, input, who) {
      requireEditing(core, who);
      await core.server(server);
      const language = input.language ?? 'python';
      const a = await checked(input.code, language);
      const description = input.description ?? a.description;
      const t = await repo.createTool(
        { id: randomUUID(), server, name: input.name, status: 'draft', version: 1, code: input.code, language, inputSchema: a.inputSchema ?? { type: 'object', properties: {} }, submittedBy: actorKey(who.actor), submittedVia: who.via, review: null, createdBy: who.actor.name, ...(description ? { description } : {}) },
        'created',
      );
      core.announce(who.actor, 'hosted.tools.create', `${server}/${input.name}`, undefined, { id: t.id, status: t.status, via: who.via });
      return core.toolView(t, true);
    },
    async updateTool(id, patch, who) {
      requireEditing(core, who);
      const t = await core.tool(id);
      if (t.kind === 'external' && patch.code !== undefined) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Tool '${t.name}' is imported from an external MCP source and has no code; import it again to pick up changes from the source`, { issues: [{ path: 'code', message: 'not for imported tools' }] });
      if (patch.language !== undefined && patch.language !== t.language && patch.code === undefined) {
        throw new SwitchboardError('SWB_VALIDATION_FAILED', `Changing the language of tool '${t.name}' to ${patch.language} needs its new code too`, { issues: [{ path: 'code', message: 'required when the language changes' }] });
      }
      if (t.kind === 'external' && patch.language !== undefined) throw new SwitchboardError('SWB_VALIDATION_FAILED', `Tool '${t.name}' is imported from an external MCP source and has no code`, { issues: [{ path: 'language', message: 'not for imported tools' }] });
      if (patch.code === undefined && patch.name === undefined && patch.description === undefined) return core.toolView(t, true);
      const language = patch.language ?? t.language;
      const a = patch.code !== undefined ? await checked(patch.code, language) : undefined;
      const change: ToolPatch = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.code !== undefined ? { code: patch.code, language, inputSchema: a!.inputSchema ?? { type: 'object', properties: {} } } : {}),
        ...(patch.description !== undefined ? { description: patch.description ?? a?.description } : a?.description && !t.description ? { description: a.description } : {}),
      };
      const fields = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined);
      return core.toolView(await saveChange(t, 'edit', change, `updated ${fields.join(', ')}`, who), true);
    },
    async deleteTool(id, who) {
      requireEditing(core, who);
      const t = await core.tool(id);
      await repo.deleteTool(id);
      core.announce(who.actor, 'hosted.tools.delete', `${t.server}/${t.name}`, { id, status: t.status });
      await core.refresh();
    },
    async versions(id, who) {
      read(who);
      await core.tool(id);
      return (await repo.versions(id)).map((v) => versionView(v, false));
    },
    async version(id, version, who) {
      read(who);
      await core.tool(id);
      return versionView(await versionOf(id, version), true);
    },
    async compare(id, from, to, who) {
      read(who);
      await core.tool(id);
      const [a, b] = [await versionOf(id, from), await versionOf(id, to)];
      return {
        tool_id: id,
        from,
        to,
        diff: unifiedDiff(a.code, b.code, { from: `v${from}`, to: `v${to}` }),
        description_changed: (a.description ?? null) !== (b.description ?? null),
        schema_changed: JSON.stringify(a.inputSchema) !== JSON.stringify(b.inputSchema),
      };
    },
    async rollback(id, version, who) {
      requireEditing(core, who);
      const t = await core.tool(id);
      const v = await versionOf(id, version);
      if (version === t.version) throw new SwitchboardError('SWB_STATE_CONFLICT', `Version ${version} is already the current one`, { id, version });
      const saved = await saveChange(t, 'rollback', { code: v.code, language: v.language, inputSchema: v.inputSchema, description: v.description }, `rolled back to v${version}`, who);
      return core.toolView(saved, true);
    },
    async validateCode(code, who, language) {
      requireHostedScope(who.actor, 'write');
      const a = await analyse(code, language);
      return { valid: a.valid, errors: a.errors, warnings: a.warnings, imports: a.imports, description: a.description ?? null, input_schema: a.inputSchema ?? null };
    },
    async testCode(input, who) {
      requireHostedScope(who.actor, 'execute');
      const t = await core.tool(input.tool_id);
      if (t.status !== 'approved' && !(who.actor.scopes.includes('admin') && who.via === 'api') && !core.settings.get().test_before_approval) {
        throw new SwitchboardError('SWB_HOSTED_FORBIDDEN', `Tool '${t.name}' is ${t.status}: test runs before approval are off (security policy test_before_approval); an admin can test it or turn the setting on`, { setting: 'test_before_approval', status: t.status });
      }
      const s = await core.server(t.server);
      const finish = core.deps.activity.mcpRequest({ caller: who.actor, method: 'hosted/test', server: t.server, tool: t.name, arguments: input.arguments });
      const r = await core.runtime.execute(
        { server: t.server, allowedHosts: parsedHosts(s.allowedHosts), tool: { id: t.id, name: t.name, version: t.version, code: t.code, language: t.language, inputSchema: t.inputSchema, ...(t.kind === 'external' && t.external ? { external: t.external } : {}) }, ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}) },
        input.arguments,
        'test',
        { caller: who.actor.name },
      );
      finish(r.ok ? { status: 'ok', resultBytes: Buffer.byteLength(r.text), result: r.value } : { status: 'error', errorCode: 'SWB_HOSTED_TOOL_FAILED', errorMessage: `${r.error.kind}: ${r.error.message}` });
      const base = { ok: r.ok, tool_id: t.id, version: t.version, stdout: r.stdout, duration_ms: Math.round(r.durationMs) };
      return r.ok ? { ...base, value: r.value, text: r.text, ...(r.structuredContent ? { structured_content: r.structuredContent } : {}) } : { ...base, error: r.error };
    },
    async logs(id, limit, who) {
      read(who);
      await core.tool(id);
      return (await repo.executions(id, limit)).map(executionView);
    },
    close: () => core.close(),
  };
}

