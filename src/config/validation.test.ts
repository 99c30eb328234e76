import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SwitchboardError } from '../shared/errors.js';
import { loadConfigFile, type ConfigIssue } from './index.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swb-config-bad-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Write `doc` to a fresh file, load it, and return the error it must fail with. */
async function failure(doc: unknown, env: Record<string, string> = {}): Promise<{ err: SwitchboardError; file: string }> {
  const file = join(dir, `bad-${++n}.json`);
  await writeFile(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  const err = await loadConfigFile(file, { env }).then(
    () => assert.fail('the config was accepted'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SwitchboardError, `not a SwitchboardError: ${String(err)}`);
  return { err, file };
}

function issuesOf(err: SwitchboardError): ConfigIssue[] {
  assert.equal(err.code, 'SWB_CONFIG_INVALID', err.message);
  return err.details?.['issues'] as ConfigIssue[];
}

/** Assert the config fails with an issue at exactly `path` whose message matches, shown in the error message as `path: message`. */
async function rejects(doc: unknown, path: string, problem: RegExp, env: Record<string, string> = {}): Promise<void> {
  const { err, file } = await failure(doc, env);
  const issues = issuesOf(err);
  const hit = issues.find((i) => i.path === path);
  assert.ok(hit, `no issue at ${path}; got ${JSON.stringify(issues)}`);
  assert.match(hit.message, problem);
  assert.ok(err.message.includes(`${path}: ${hit.message}`), err.message);
  assert.ok(err.message.includes(file), 'the message names the file');
  assert.equal(err.details?.['file'], file);
}

describe('wrong types', () => {
  it('args element', () => rejects({ mcpServers: { github: { command: 'gh', args: ['a', 'b', 3] } } }, 'mcpServers.github.args[2]', /^expected string, got number$/));
  it('args itself', () => rejects({ mcpServers: { github: { command: 'gh', args: 'a b' } } }, 'mcpServers.github.args', /expected array, got string/));
  it('env value', () => rejects({ mcpServers: { db: { command: 'x', env: { PORT: 5432 } } } }, 'mcpServers.db.env.PORT', /expected string, got number/));
  it('header value', () => rejects({ servers: { api: { url: 'https://h/mcp', headers: { 'X-Key': true } } } }, 'servers.api.headers.X-Key', /expected string, got boolean/));
  it('header name', () => rejects({ servers: { api: { url: 'https://h/mcp', headers: { 'Bad Header': 'v' } } } }, 'servers.api.headers["Bad Header"]', /not a valid HTTP header name/));
  it('enabled', () => rejects({ mcpServers: { a: { command: 'x', enabled: 'yes' } } }, 'mcpServers.a.enabled', /expected boolean, got string/));
  it('timeoutMs not an integer', () => rejects({ mcpServers: { a: { command: 'x', timeoutMs: 1.5 } } }, 'mcpServers.a.timeoutMs', /expected integer, got 1.5/));
  it('timeoutMs not positive', () => rejects({ mcpServers: { a: { command: 'x', timeoutMs: 0 } } }, 'mcpServers.a.timeoutMs', /must be >= 1/));
  it('empty command', () => rejects({ mcpServers: { a: { command: '' } } }, 'mcpServers.a.command', /must not be empty/));
  it('server entry not an object', () => rejects({ mcpServers: { a: 'npx server' } }, 'mcpServers.a', /expected object, got string/));
  it('mcpServers not an object or array', () => rejects({ mcpServers: 'x' }, 'mcpServers', /expected object or array, got string/));
  it('servers not an object', () => rejects({ servers: [] }, 'servers', /expected object, got array/));
  it('mcp not an object', () => rejects({ mcp: true }, 'mcp', /expected object, got boolean/));
  it('array-form entry not an object', () => rejects({ mcpServers: [{ name: 'a', command: 'x' }, 7] }, 'mcpServers[1]', /expected object, got number/));
  it('http.port', () => rejects({ http: { port: '8080' } }, 'http.port', /expected number, got string/));
  it('http.port range', () => rejects({ http: { port: 70000 } }, 'http.port', /must be <= 65535/));
  it('http.maxBodyBytes', () => rejects({ http: { maxBodyBytes: -1 } }, 'http.maxBodyBytes', /must be >= 1/));
  it('http.allowedHosts', () => rejects({ http: { allowedHosts: 'a.example.com' } }, 'http.allowedHosts', /expected array, got string/));
  it('http unknown key (typo)', () => rejects({ http: { prot: 1 } }, 'http.prot', /unknown key \(expected one of: host, port/));
  it('apiKey', () => rejects({ apiKey: 42 }, 'apiKey', /expected string, got number/));
  it('allowUnauthenticatedLoopback', () => rejects({ allowUnauthenticatedLoopback: 'true' }, 'allowUnauthenticatedLoopback', /expected boolean, got string/));
  it('document not an object', () => rejects([], '(root)', /expected a JSON object, got array/));
});

describe('command / url / transport', () => {
  it('both command and url', () => rejects({ mcpServers: { both: { command: 'x', url: 'https://h/mcp' } } }, 'mcpServers.both', /both "command" and "url"/));
  it('neither command nor url', () => rejects({ mcpServers: { none: { args: ['x'] } } }, 'mcpServers.none', /needs "command".*or "url"/));
  it('unknown transport', () => rejects({ mcpServers: { a: { transport: 'websocket', url: 'wss://h' } } }, 'mcpServers.a.transport', /expected one of "stdio", "sse", "streamable-http", "http", "streamableHttp", "auto"; got "websocket"/));
  it('stdio transport with url', () => rejects({ servers: { a: { type: 'stdio', url: 'https://h/mcp' } } }, 'servers.a.type', /"stdio" needs "command"/));
  it('remote transport with command', () => rejects({ mcpServers: [{ name: 'a', protocol: 'sse', command: 'x' }] }, 'mcpServers[0].protocol', /"sse" needs "url"/));
  it('transport and type disagree', () => rejects({ mcpServers: { a: { transport: 'sse', type: 'http', url: 'https://h/x' } } }, 'mcpServers.a.type', /"http" conflicts with "transport" \(sse\)/));
  it('url not http(s)', () => rejects({ mcpServers: { a: { url: 'ftp://h/x' } } }, 'mcpServers.a.url', /must be an http:\/\/ or https:\/\/ URL, got ftp:/));
  it('url not a URL', () => rejects({ mcpServers: { a: { url: 'localhost:3000' } } }, 'mcpServers.a.url', /URL/));
  it('headers on a local server', () => rejects({ mcpServers: { a: { command: 'x', headers: { A: 'b' } } } }, 'mcpServers.a.headers', /only used by remote/));
  it('env on a remote server', () => rejects({ mcpServers: { a: { url: 'https://h/mcp', env: { A: 'b' } } } }, 'mcpServers.a.env', /only used by local/));
  it('sessionScope not caller or shared', () => rejects({ servers: { api: { url: 'https://h/mcp', sessionScope: 'per-user' } } }, 'servers.api.sessionScope', /caller.*shared/));
  it('sessionScope on a local (stdio) server', () => rejects({ mcpServers: { a: { command: 'x', sessionScope: 'caller' } } }, 'mcpServers.a.sessionScope', /only used by remote/));
  it('sessionScope on a remote server is kept; absent stays absent', async () => {
    const file = join(dir, `ok-${++n}.json`);
    await writeFile(file, JSON.stringify({ servers: { a: { url: 'https://h/mcp', sessionScope: 'shared' }, b: { url: 'https://h/mcp' } } }));
    const cfg = await loadConfigFile(file);
    assert.equal(cfg.servers.find((s) => s.name === 'a')?.sessionScope, 'shared');
    assert.equal(cfg.servers.find((s) => s.name === 'b')?.sessionScope, undefined);
  });
  it('enabled and disabled contradict', () => rejects({ mcpServers: { a: { command: 'x', enabled: true, disabled: true } } }, 'mcpServers.a.disabled', /contradicts "enabled"/));
  it('cwd and working_dir disagree', () => rejects({ mcpServers: [{ name: 'a', command: 'x', cwd: '/a', working_dir: '/b' }] }, 'mcpServers[0].working_dir', /conflicts with "cwd"/));
});

describe('names and prefixes', () => {
  it('name with a space', () => rejects({ mcpServers: { 'my server': { command: 'x' } } }, 'mcpServers["my server"]', /invalid server name "my server": must be 1-64 characters/));
  it('name with a dot', () => rejects({ servers: { 'a.b': { command: 'x' } } }, 'servers["a.b"]', /invalid server name/));
  it('empty name', () => rejects({ mcpServers: { '': { command: 'x' } } }, 'mcpServers[""]', /invalid server name ""/));
  it('name longer than 64', () => rejects({ mcpServers: { ['n'.repeat(65)]: { command: 'x' } } }, `mcpServers.${'n'.repeat(65)}`, /must be 1-64/));
  it('array form without a name', () => rejects({ mcpServers: [{ command: 'x' }] }, 'mcpServers[0].name', /missing/));
  it('array form with a non-string name', () => rejects({ mcpServers: [{ name: 5, command: 'x' }] }, 'mcpServers[0].name', /expected string, got number/));
  it('bad alias', () => rejects({ mcpServers: { a: { command: 'x', alias: 'has space' } } }, 'mcpServers.a.alias', /must be 1-64 characters.*got "has space"/));
  it('name containing the separator (prefix always)', () =>
    rejects({ mcpServers: { my__srv: { command: 'x' } } }, 'mcpServers.my__srv', /contains the tool-name separator "__"/));
  it('alias containing a custom separator', () =>
    rejects({ gateway: { separator: '-' }, mcpServers: { a: { command: 'x', alias: 'a-b' } } }, 'mcpServers.a.alias', /contains the tool-name separator "-"/));
  it('alias colliding with another server name', () =>
    rejects({ mcpServers: { gh: { command: 'x' }, github: { command: 'y', alias: 'gh' } } }, 'mcpServers.github.alias', /tool prefix "gh" is already used by server "gh"/));

  it('allows the separator in names and shared aliases when prefix is never', async () => {
    const file = join(dir, `ok-${++n}.json`);
    await writeFile(file, JSON.stringify({ gateway: { prefix: 'never' }, mcpServers: { my__srv: { command: 'x' }, b: { command: 'y', alias: 'my__srv' } } }));
    const cfg = await loadConfigFile(file);
    assert.deepEqual(cfg.servers.map((s) => s.name), ['my__srv', 'b']);
  });
});

describe('duplicates', () => {
  it('same name in mcpServers and servers', () =>
    rejects({ mcpServers: { github: { command: 'x' } }, servers: { github: { command: 'y' } } }, 'servers.github', /duplicate server name "github" \(already defined at mcpServers.github\)/));
  it('same name in servers and mcp.servers', () =>
    rejects({ servers: { a: { command: 'x' } }, mcp: { servers: { a: { command: 'y' } } } }, 'mcp.servers.a', /duplicate server name "a"/));
  it('same name twice in the array form', () =>
    rejects({ mcpServers: [{ name: 'a', command: 'x' }, { name: 'a', command: 'y' }] }, 'mcpServers[1].name', /duplicate server name "a" \(already defined at mcpServers\[0\].name\)/));
  it('the same key twice in one JSON object', () =>
    rejects('{ "mcpServers": { "a": { "command": "x" }, "a": { "command": "y" } } }', 'mcpServers.a', /appears more than once/));
  it('ignores repeated keys outside the sections Switchboard reads', async () => {
    const file = join(dir, `ok-${++n}.json`);
    await writeFile(file, '{ "editor.tabSize": 2, "editor.tabSize": 4, "mcpServers": {} }');
    assert.deepEqual((await loadConfigFile(file)).servers, []);
  });
});

describe('gateway settings', () => {
  it('bad prefix value', () => rejects({ gateway: { prefix: 'sometimes' } }, 'gateway.prefix', /expected one of "always", "never"; got "sometimes"/));
  it('separator too long', () => rejects({ gateway: { separator: '_____' } }, 'gateway.separator', /must be 1-4 characters/));
  it('separator with a bad character', () => rejects({ gateway: { separator: '/' } }, 'gateway.separator', /must be 1-4 characters/));
  it('unknown gateway key', () => rejects({ gateway: { prefixes: 'always' } }, 'gateway.prefixes', /unknown key \(expected one of: prefix, separator, exposure\)/));
});

describe('environment references', () => {
  it('missing in args', () => rejects({ mcpServers: { a: { command: 'x', args: ['--t', '${env:NOPE}'] } } }, 'mcpServers.a.args[1]', /environment variable NOPE is not set/));
  it('missing in env', () => rejects({ mcpServers: { a: { command: 'x', env: { TOKEN: '${env:GH_TOKEN}' } } } }, 'mcpServers.a.env.TOKEN', /GH_TOKEN is not set/));
  it('missing in headers', () => rejects({ servers: { a: { url: 'https://h/mcp', headers: { Authorization: 'Bearer ${env:KEY}' } } } }, 'servers.a.headers.Authorization', /KEY is not set/));
  it('missing in url', () => rejects({ mcpServers: { a: { url: 'https://${env:HOST}/mcp' } } }, 'mcpServers.a.url', /HOST is not set/));
  it('missing in apiKey', () => rejects({ apiKey: '${env:SWB_KEY}' }, 'apiKey', /SWB_KEY is not set/));
  it('malformed name', () => rejects({ mcpServers: { a: { command: 'x', args: ['${env:1BAD}'] } } }, 'mcpServers.a.args[0]', /malformed \$\{env:1BAD\}/));
  it('VS Code ${input:...} prompt', () => rejects({ servers: { a: { command: 'x', env: { T: '${input:token}' } } } }, 'servers.a.env.T', /VS Code input prompt/));
});

describe('invalid JSON', () => {
  it('reports line and column', async () => {
    const { err, file } = await failure('{\n  "mcpServers": {\n    "a": { "command": "x", }\n  }\n}');
    assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
    assert.match(err.message, /Invalid JSON in .* at line 3, column 28: expected a double-quoted property name/);
    assert.ok(err.message.includes(file));
    assert.deepEqual({ line: err.details?.['line'], column: err.details?.['column'] }, { line: 3, column: 28 });
  });

  it('reports a missing comma', async () => {
    const { err } = await failure('{ "gateway": { "prefix": "never" }\n  "http": {} }');
    assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
    assert.match(err.message, /line 2, column 3: expected ',' or '}' after property value/);
  });

  it('reports an unexpected character where V8 gives no position', async () => {
    const { err } = await failure('{"a": }');
    assert.match(err.message, /line 1, column 7: unexpected character "}"/);
  });

  it('reports an empty file', async () => {
    const { err } = await failure('');
    assert.equal(err.code, 'SWB_CONFIG_UNREADABLE');
    assert.match(err.message, /line 1, column 1: unexpected end of input/);
  });

  it('reports an unterminated string', async () => {
    const { err } = await failure('{"mcpServers": {"a');
    assert.match(err.message, /line 1, column 19: unexpected end of input \(unterminated string\)/);
  });
});

describe('error collection', () => {
  it('reports every problem in the file at once, listed one per line', async () => {
    const { err } = await failure(
      {
        gateway: { prefix: 'sometimes' },
        http: { port: -1 },
        mcpServers: { 'bad name': { command: 'x' }, both: { command: 'x', url: 'https://h/mcp' }, args: { command: 'x', args: [1] } },
        servers: { both: { command: 'y' } },
      },
      {},
    );
    const paths = issuesOf(err).map((i) => i.path);
    for (const path of ['gateway.prefix', 'http.port', 'mcpServers["bad name"]', 'mcpServers.both', 'mcpServers.args.args[0]', 'servers.both']) {
      assert.ok(paths.includes(path), `missing ${path} in ${JSON.stringify(paths)}`);
      assert.ok(err.message.includes(`  - ${path}: `), `message lists ${path}`);
    }
    assert.match(err.message, /\(6 problems\)/);
  });
});
