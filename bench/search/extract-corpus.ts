/**
 * Builds bench/search/corpus.json by RUNNING real MCP servers published on npm and saving what their
 * tools/list returns, with provenance (package, version, command, date). Not part of `npm run bench`:
 * it needs the servers installed outside the project, e.g.
 *
 *   npm install --prefix /tmp/corpus-servers --ignore-scripts @modelcontextprotocol/server-github …
 *   node --import tsx bench/search/extract-corpus.ts /tmp/corpus-servers
 *
 * Servers that want an API key get an obviously fake one: listing tools never calls the remote API.
 * (server-redis, server-gdrive, @azure-devops/mcp and @stripe/mcp were tried and left out: they exit or
 * call their service before answering tools/list; @supabase/mcp-server-supabase fetches at start.)
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const root = resolve(process.argv[2] ?? '/tmp/corpus-servers');
const scratch = mkdtempSync(join(tmpdir(), 'corpus-'));
const FAKE = 'corpus-extraction-placeholder';

interface Source {
  /** The server name the corpus uses (the tool-name prefix in a gateway). */
  server: string;
  pkg: string;
  /** Arguments after the package's entry point. */
  args?: string[];
  env?: Record<string, string>;
  /** Entry point when it is not the package's first bin. */
  bin?: string;
}

const SOURCES: Source[] = [
  { server: 'everything', pkg: '@modelcontextprotocol/server-everything', args: ['stdio'] },
  { server: 'filesystem', pkg: '@modelcontextprotocol/server-filesystem', args: [scratch] },
  { server: 'memory', pkg: '@modelcontextprotocol/server-memory', env: { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') } },
  { server: 'github', pkg: '@modelcontextprotocol/server-github', env: { GITHUB_PERSONAL_ACCESS_TOKEN: FAKE } },
  { server: 'gitlab', pkg: '@modelcontextprotocol/server-gitlab', env: { GITLAB_PERSONAL_ACCESS_TOKEN: FAKE } },
  { server: 'slack', pkg: '@modelcontextprotocol/server-slack', env: { SLACK_BOT_TOKEN: FAKE, SLACK_TEAM_ID: 'T000' } },
  { server: 'postgres', pkg: '@modelcontextprotocol/server-postgres', args: ['postgresql://127.0.0.1:1/none'] },
  { server: 'puppeteer', pkg: '@modelcontextprotocol/server-puppeteer' },
  { server: 'brave-search', pkg: '@modelcontextprotocol/server-brave-search', env: { BRAVE_API_KEY: FAKE } },
  { server: 'google-maps', pkg: '@modelcontextprotocol/server-google-maps', env: { GOOGLE_MAPS_API_KEY: FAKE } },
  { server: 'sequential-thinking', pkg: '@modelcontextprotocol/server-sequential-thinking' },
  { server: 'aws-kb', pkg: '@modelcontextprotocol/server-aws-kb-retrieval', env: { AWS_ACCESS_KEY_ID: FAKE, AWS_SECRET_ACCESS_KEY: FAKE, AWS_REGION: 'us-east-1' } },
  { server: 'everart', pkg: '@modelcontextprotocol/server-everart', env: { EVERART_API_KEY: FAKE } },
  { server: 'playwright', pkg: '@playwright/mcp' },
  { server: 'chrome-devtools', pkg: 'chrome-devtools-mcp', bin: 'chrome-devtools-mcp' },
  { server: 'notion', pkg: '@notionhq/notion-mcp-server', env: { NOTION_TOKEN: FAKE } },
  { server: 'desktop-commander', pkg: '@wonderwhy-er/desktop-commander', bin: 'desktop-commander' },
  { server: 'mongodb', pkg: 'mongodb-mcp-server', env: { MDB_MCP_CONNECTION_STRING: 'mongodb://127.0.0.1:1/none', MDB_MCP_TELEMETRY: 'disabled' } },
  { server: 'firecrawl', pkg: 'firecrawl-mcp', env: { FIRECRAWL_API_KEY: 'fc-placeholder' } },
  { server: 'tavily', pkg: 'tavily-mcp', env: { TAVILY_API_KEY: FAKE } },
  { server: 'circleci', pkg: '@circleci/mcp-server-circleci', env: { CIRCLECI_TOKEN: FAKE } },
  { server: 'gitlab-ext', pkg: '@zereight/mcp-gitlab', env: { GITLAB_PERSONAL_ACCESS_TOKEN: FAKE, GITLAB_API_URL: 'http://127.0.0.1:1/api/v4' } },
  { server: 'context7', pkg: '@upstash/context7-mcp' },
  { server: 'launchdarkly', pkg: '@launchdarkly/mcp-server', args: ['start', '--api-key', FAKE] },
];

function entryOf(s: Source): { entry: string; version: string } {
  const dir = join(root, 'node_modules', s.pkg);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : s.bin ? pkg.bin[s.bin]! : Object.values(pkg.bin)[0]!;
  return { entry: join(dir, bin), version: pkg.version };
}

async function extract(s: Source): Promise<{ tools: Record<string, unknown>[]; version: string }> {
  const { entry, version } = entryOf(s);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry, ...(s.args ?? [])],
    env: { PATH: process.env['PATH'] ?? '', HOME: scratch, ...s.env },
    cwd: scratch,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'switchboard-corpus', version: '1.0.0' });
  await client.connect(transport, { timeout: 60_000 });
  const tools: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : {}, { timeout: 60_000 });
    tools.push(...(page.tools as Record<string, unknown>[]));
    cursor = page.nextCursor;
  } while (cursor);
  await client.close();
  return { tools, version };
}

const servers: { server: string; package: string; version: string; tools: Record<string, unknown>[] }[] = [];
for (const s of SOURCES) {
  try {
    const { tools, version } = await extract(s);
    servers.push({ server: s.server, package: s.pkg, version, tools });
    console.log(`${s.server.padEnd(22)} ${s.pkg}@${version}: ${tools.length} tools`);
  } catch (err) {
    console.log(`${s.server.padEnd(22)} ${s.pkg}: FAILED ${(err as Error).message}`);
  }
}
const total = servers.reduce((n, s) => n + s.tools.length, 0);
const out = {
  description: 'Tool definitions extracted by running real MCP servers from npm (tools/list over stdio, fake credentials). Regenerate with bench/search/extract-corpus.ts.',
  extracted_at: new Date().toISOString().slice(0, 10),
  node: process.version,
  total_tools: total,
  servers,
};
writeFileSync(resolve(import.meta.dirname, 'corpus.json'), `${JSON.stringify(out, null, 1)}\n`);
console.log(`total: ${total} tools from ${servers.length} servers`);
process.exit(0);
