import { userInfo } from 'node:os';
import pino from 'pino';
import type { ServerCreateInput, ServerView } from '../admin/index.js';
import { loadConfig } from '../config/index.js';
import { createSwitchboard } from '../main.js';
import { fullAccess } from '../shared/index.js';
import type { Output } from './commands.js';

/** The server-changing subcommands; `servers list` talks to a gateway instead (commands.ts). */
export const SERVER_ADMIN_COMMANDS = ['add', 'remove', 'enable', 'disable', 'quarantine', 'approve'] as const;

export interface ServersFlags {
  config?: string | undefined;
  command?: string | undefined;
  args?: string | undefined;
  url?: string | undefined;
  transport?: string | undefined;
  env?: string[] | undefined;
  header?: string[] | undefined;
  alias?: string | undefined;
  reason?: string | undefined;
  json: boolean;
}

const USAGE = `usage:
  switchboard servers add NAME --command CMD [--args '["a","b"]' | -- ARG...] [--env KEY=VALUE]... [--alias A]
  switchboard servers add NAME --url URL [--header 'Name: value']... [--transport sse|streamable-http] [--alias A]
  switchboard servers remove|enable|disable|approve NAME
  switchboard servers quarantine NAME [--reason TEXT]`;

class UsageError extends Error {}

/** `--args` as a JSON array, or words split on whitespace; arguments after `--` are appended. */
function parseArgsFlag(text: string | undefined, rest: readonly string[]): string[] {
  let args: string[] = [];
  if (text !== undefined) {
    if (text.trimStart().startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new UsageError(`--args is not valid JSON: ${(err as Error).message}`);
      }
      if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new UsageError('--args must be a JSON array of strings');
      args = parsed;
    } else {
      args = text.split(/\s+/).filter(Boolean);
    }
  }
  return [...args, ...rest];
}

function parsePairs(list: readonly string[] | undefined, sep: string, flag: string): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf(sep);
    if (at <= 0) throw new UsageError(`${flag} expects NAME${sep}VALUE, got '${item}'`);
    out[item.slice(0, at).trim()] = item.slice(at + sep.length).trim();
  }
  return out;
}

/** Build the create input from flags (validation proper happens in the servers service). */
export function addInput(name: string, f: ServersFlags, rest: readonly string[]): ServerCreateInput {
  if (!f.command === !f.url) throw new UsageError('servers add needs exactly one of --command (a local server) or --url (a remote one)');
  const common = { name, ...(f.alias ? { alias: f.alias } : {}), ...(f.transport ? { transport: f.transport as ServerCreateInput['transport'] } : {}) };
  if (f.command) {
    const env = parsePairs(f.env, '=', '--env');
    return { ...common, command: f.command, args: parseArgsFlag(f.args, rest), ...(env ? { env } : {}) };
  }
  if (f.args || rest.length || f.env?.length) throw new UsageError('--args and --env are for local (--command) servers');
  const headers = parsePairs(f.header, ':', '--header');
  return { ...common, url: f.url!, ...(headers ? { headers } : {}) };
}

function describe(s: ServerView): string {
  const what = s.transport === 'stdio' ? `${s.command} ${s.args.join(' ')}`.trim() : (s.url ?? '');
  const admin = s.quarantined ? `quarantined (${s.quarantine?.reason ?? 'awaiting approval'})` : s.enabled ? 'enabled' : 'disabled';
  return `${s.name}: ${s.transport} ${what} — ${admin}`;
}

/**
 * `switchboard servers add|remove|enable|disable|quarantine|approve` on the data directory (no gateway
 * needed). A running gateway on the same data dir picks the change up within a few seconds.
 */
export async function serversAdmin(pos: readonly string[], rest: readonly string[], f: ServersFlags, dataDir: string, io: Output): Promise<number> {
  const [sub, name, ...extra] = pos;
  if (!name || extra.length || !(SERVER_ADMIN_COMMANDS as readonly string[]).includes(sub ?? '')) {
    io.err(`SWB_INVALID_ARGUMENT: ${name ? `unexpected '${extra.join(' ')}'` : 'a server NAME is needed'}\n${USAGE}`);
    return 2;
  }
  let input: ServerCreateInput | undefined;
  try {
    if (sub === 'add') input = addInput(name, f, rest);
    else if (rest.length) throw new UsageError(`servers ${sub} takes no arguments after --`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`SWB_INVALID_ARGUMENT: ${err.message}\n${USAGE}`);
    return 2;
  }
  const { path, config } = await loadConfig(f.config);
  const sb = await createSwitchboard({ config, dataDir, logger: pino({ level: 'silent' }), ...(path ? { configPath: path } : {}) });
  try {
    const servers = sb.admin.servers;
    // The operator at the terminal owns the data dir: the same trust as an admin.
    const actor = fullAccess('local', 'cli', `cli:${userInfo().username}`);
    let view: ServerView | undefined;
    if (sub === 'add') view = await servers.create(input!, { actor });
    else if (sub === 'remove') await servers.remove(name, actor);
    else if (sub === 'enable' || sub === 'disable') view = await servers.setEnabled(name, sub === 'enable', actor);
    else if (sub === 'quarantine') view = await servers.quarantine(name, f.reason, actor);
    else view = await servers.approve(name, actor);
    if (f.json) io.out(JSON.stringify(view ?? { deleted: name }, null, 2));
    else io.out(view ? describe(view) : `${name}: removed`);
    return 0;
  } finally {
    await sb.close();
  }
}
