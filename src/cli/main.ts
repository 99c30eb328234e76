import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { createSwitchboard, serveSwitchboard } from '../main.js';
import { serveStdio } from '../gateway/index.js';
import { SwitchboardError } from '../shared/index.js';
import { VERSION } from '../version.js';
import { callTool, serversList, toolsList, type Output } from './commands.js';
import { toolsSearch } from './tools-search.js';
import { activityTail } from './activity.js';
import { doctor } from './doctor.js';
import { adminCommand, IDENTITY_USAGE, keysCommand } from './identity.js';
import { openGatewayClient } from './gateway-client.js';
import { serversAdmin } from './servers.js';
import { exportCommand, importCommand, TRANSFER_USAGE } from './transfer.js';
import { APPROVALS_USAGE, approvalsCommand } from './approvals.js';

const USAGE = `switchboard ${VERSION} — one MCP endpoint in front of many MCP servers

Usage:
  switchboard serve   [--config PATH] [--host 127.0.0.1] [--port 8080] [--data DIR]
  switchboard stdio   [--config PATH] [--data DIR]
  switchboard doctor  [--config PATH] [--json]
  switchboard servers list [--json]
  switchboard servers add NAME --command CMD [--args '["a"]' | -- ARG...] [--env K=V]... | --url URL [--header 'K: V']...
  switchboard servers remove|enable|disable|approve NAME
  switchboard servers quarantine NAME [--reason TEXT]
  switchboard tools list [--server NAME] [--json]
  switchboard tools search QUERY... [--limit N] [--json]
  switchboard call <tool> [--args '<json>'] [--json]
${IDENTITY_USAGE}
  switchboard activity tail [--follow] [--server S] [--tool T] [--limit N] [--url URL] [--json]
${TRANSFER_USAGE}
${APPROVALS_USAGE}

Options:
  --config PATH   config file (default: $SWITCHBOARD_CONFIG, then ./switchboard.json)
  --data DIR      data directory (default: ./.switchboard)
  --url URL       gateway to talk to for servers/tools/call (default: from the config's http section);
                  when none answers there, a gateway is started in-process for the command
  --json          machine-readable output
`;

/** How long `switchboard stdio` waits for upstreams to leave 'starting' before it answers the client. */
const STDIO_SETTLE_MS = 10_000;

const io: Output = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };

/** The CLI entry; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      // Words after `--` are a server's own arguments (`servers add NAME --command node -- server.js`).
      args: argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        url: { type: 'string' },
        server: { type: 'string' },
        args: { type: 'string' },
        command: { type: 'string' },
        transport: { type: 'string' },
        env: { type: 'string', multiple: true },
        header: { type: 'string', multiple: true },
        alias: { type: 'string' },
        reason: { type: 'string' },
        follow: { type: 'boolean', short: 'f', default: false },
        tool: { type: 'string' },
        limit: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        role: { type: 'string' },
        name: { type: 'string' },
        scopes: { type: 'string' },
        servers: { type: 'string' },
        tools: { type: 'string' },
        expires: { type: 'string' },
        rotate: { type: 'boolean', default: false },
        format: { type: 'string' },
        out: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals: pos } = parsed;
  if (o.version) return io.out(VERSION), 0;
  if (o.help || pos.length === 0) return io.out(USAGE), pos.length === 0 && !o.help ? 2 : 0;
  const dataDir = o.data ?? './.switchboard';
  try {
    switch (pos[0]) {
      case 'serve':
        return await serve(o.config, o.host, o.port, dataDir);
      case 'stdio':
        return await stdio(o.config, dataDir);
      case 'doctor':
        return await doctor(o.config, dataDir, o.json, io);
      case 'servers':
        if (pos[1] !== 'list' && pos[1] !== undefined) return await serversAdmin(pos.slice(1), argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [], o, dataDir, io);
        return await clientCommand(pos, o, dataDir);
      case 'tools':
      case 'call':
        return await clientCommand(pos, o, dataDir);
      case 'admin':
        return await adminCommand(pos, o, dataDir, io);
      case 'keys':
        return await keysCommand(pos, o, dataDir, io);
      case 'activity':
        return await activity(pos, o, dataDir);
      case 'export':
        return await exportCommand(o, dataDir, io);
      case 'import':
        return await importCommand(pos[1], o, dataDir, io);
      case 'approvals':
        return await approvalsCommand(pos.slice(1), o, dataDir, io);
      default:
        io.err(`Unknown command '${pos[0]}'\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof SwitchboardError) {
      io.err(`${err.code}: ${err.message}${issuesText(err)}\n  hint: ${err.hint}`);
      return 1;
    }
    throw err;
  }
}

async function activity(pos: string[], o: { config?: string | undefined; url?: string | undefined; server?: string | undefined; tool?: string | undefined; limit?: string | undefined; follow: boolean; json: boolean }, dataDir: string): Promise<number> {
  if (pos[1] !== 'tail') {
    io.err(`Unknown command '${pos.join(' ')}'\n\n${USAGE}`);
    return 2;
  }
  const { config } = await loadConfig(o.config);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await activityTail({ ...o, dataDir, config, apiKey: process.env['SWITCHBOARD_API_KEY'] ?? config.apiKey }, io, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function issuesText(err: SwitchboardError): string {
  const issues = err.details?.['issues'];
  if (!Array.isArray(issues) || issues.length < 2) return '';
  return `\n${issues.map((i: { path?: string; message?: string }) => `  - ${i.path}: ${i.message}`).join('\n')}`;
}

async function serve(configFlag: string | undefined, host: string | undefined, portText: string | undefined, dataDir: string): Promise<number> {
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    io.err(`SWB_INVALID_ARGUMENT: --port must be an integer 0-65535, got '${portText}'`);
    return 2;
  }
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'info' }, pino.destination(2));
  const { path, config } = await loadConfig(configFlag);
  const sb = await serveSwitchboard({ config, dataDir, logger, ...(path ? { configPath: path } : {}), ...(host ? { host } : {}), ...(port !== undefined ? { port } : {}) });
  io.err(`Switchboard ${VERSION} listening on ${sb.url} — MCP endpoint ${sb.url}/mcp, health ${sb.url}/health`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sb.close();
  return 0;
}

async function stdio(configFlag: string | undefined, dataDir: string): Promise<number> {
  // stdout belongs to the MCP protocol: every log line goes to stderr.
  const logger = pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }, pino.destination(2));
  const { config } = await loadConfig(configFlag);
  const sb = await createSwitchboard({ config, dataDir, logger });
  await sb.applyConfig(config);
  // The client that launched us lists tools right after initialize, and many never re-list on
  // list_changed: let the upstreams come up first (bounded, so one slow server cannot block the rest).
  await sb.settled(STDIO_SETTLE_MS);
  const { closed } = await serveStdio(sb.core);
  await Promise.race([closed, new Promise<void>((r) => (process.once('SIGINT', r), process.once('SIGTERM', r)))]);
  await sb.close();
  return 0;
}

async function clientCommand(pos: string[], o: { config?: string | undefined; url?: string | undefined; server?: string | undefined; args?: string | undefined; limit?: string | undefined; json: boolean }, dataDir: string): Promise<number> {
  const [cmd, sub] = pos;
  if ((cmd === 'servers' || cmd === 'tools') && sub !== 'list' && !(cmd === 'tools' && sub === 'search')) {
    io.err(`Unknown command '${pos.join(' ')}'\n\n${USAGE}`);
    return 2;
  }
  if (cmd === 'call' && !sub) {
    io.err('SWB_INVALID_ARGUMENT: usage: switchboard call <tool> --args \'{"key":"value"}\'');
    return 2;
  }
  const { config } = await loadConfig(o.config);
  const url = (o.url ?? `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${config.http.port}`).replace(/\/+$/, '');
  const apiKey = process.env['SWITCHBOARD_API_KEY'] ?? config.apiKey;
  const client = await openGatewayClient(url, apiKey, config, dataDir);
  try {
    if (cmd === 'servers') return await serversList(client, o.json, io);
    if (cmd === 'tools' && sub === 'search') return await toolsSearch(client, pos.slice(2).join(' '), o.limit, o.json, io);
    if (cmd === 'tools') {
      const s = o.server ? config.servers.find((x) => x.name === o.server) : undefined;
      const filter = o.server ? { server: o.server, prefix: config.gateway.prefix === 'always' ? `${s?.alias ?? o.server}${config.gateway.separator}` : undefined } : undefined;
      return await toolsList(client, filter, o.json, io);
    }
    return await callTool(client, sub!, o.args, o.json, io);
  } finally {
    await client.close();
  }
}


