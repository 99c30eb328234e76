import { sql, type Kysely } from 'kysely';
import { secretsWriter, type SecretsWriter } from './secrets-repo.js';

/** A stored row as a backup carries it: column names as in the table, JSON columns decoded. */
export type BackupRow = Record<string, unknown>;

/** One hosted server with everything that belongs to it (executions logs are not state and stay out). */
export interface HostedBundle {
  server: BackupRow;
  tools: BackupRow[];
  versions: BackupRow[];
  requests: BackupRow[];
  /** External MCP sources of the server, when this version of the schema has them. */
  sources: BackupRow[];
}

/** What a backup holds beyond servers, secrets and settings, read in one transaction. */
export interface BackupRows {
  profiles: BackupRow[];
  pins: BackupRow[];
  serverTrust: BackupRow[];
  hosted: HostedBundle[];
}

/** Writes inside the one restore transaction; see {@link BackupRepo.write}. */
export interface BackupWriter {
  /** Secrets and the settings document, as the secrets repo writes them. */
  readonly secrets: SecretsWriter;
  /** Make these stored profiles exactly `rows` (by name): names listed without a row are deleted. */
  replaceProfiles(names: readonly string[], rows: readonly BackupRow[]): Promise<void>;
  /** Make the pins and trust override of these servers exactly `pins` and `serverTrust`. */
  replacePins(servers: readonly string[], pins: readonly BackupRow[], serverTrust: readonly BackupRow[]): Promise<void>;
  /** Make these hosted servers exactly `bundles` (by server name), tools, versions, requests and sources included. */
  replaceHosted(names: readonly string[], bundles: readonly HostedBundle[]): Promise<void>;
}

/**
 * Backups of the profile, pin and hosted tables, row by row (so columns a later migration adds travel
 * without changes here), and the one transaction an import writes them in together with secrets and
 * settings. Rows from an older backup lacking a column get the column's default; columns this schema
 * does not know are dropped.
 */
export interface BackupRepo {
  read(): Promise<BackupRows>;
  /** Read the rows a restore would replace (for a dry run's plan and for undoing a failed import). */
  readFor(keys: { profiles: readonly string[]; pinServers: readonly string[]; hosted: readonly string[] }): Promise<BackupRows>;
  /** Run `fn` in one transaction: all of its writes happen, or none. */
  write<T>(fn: (w: BackupWriter) => Promise<T>): Promise<T>;
}

/** Tables are named at run time here (row-level copies), so the builder is untyped. */
type Db = Kysely<any>;

/** Columns holding JSON text, per table. */
const JSON_COLUMNS: Record<string, readonly string[]> = {
  profiles: ['definition'],
  tool_pins: ['definition', 'approved_definition', 'findings'],
  hosted_servers: ['allowed_hosts'],
  hosted_tools: ['input_schema'],
  hosted_tool_versions: ['input_schema'],
  external_sources: ['headers'],
};

const decode = (table: string, row: BackupRow): BackupRow => {
  const out = { ...row };
  for (const c of JSON_COLUMNS[table] ?? []) if (typeof out[c] === 'string') out[c] = JSON.parse(out[c] as string);
  return out;
};

async function tableColumns(db: Db): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const table of ['profiles', 'tool_pins', 'server_trust', 'hosted_servers', 'hosted_tools', 'hosted_tool_versions', 'hosted_requests', 'external_sources']) {
    const { rows } = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db);
    if (rows.length) out.set(table, new Set(rows.map((r) => r.name)));
  }
  return out;
}

async function select(db: Db, cols: Map<string, Set<string>>, table: string, column: string, values: readonly string[] | undefined): Promise<BackupRow[]> {
  if (!cols.has(table) || (values && !values.length)) return [];
  let q = db.selectFrom(table).selectAll();
  if (values) q = q.where(column, 'in', values);
  return ((await q.execute()) as BackupRow[]).map((r) => decode(table, r));
}

async function readRows(db: Db, keys?: { profiles: readonly string[]; pinServers: readonly string[]; hosted: readonly string[] }): Promise<BackupRows> {
  const cols = await tableColumns(db);
  const servers = await select(db, cols, 'hosted_servers', 'name', keys?.hosted);
  const names = servers.map((s) => String(s['name']));
  const tools = await select(db, cols, 'hosted_tools', 'server', names);
  const ids = tools.map((t) => String(t['id']));
  const versions = await select(db, cols, 'hosted_tool_versions', 'tool_id', ids);
  const requests = await select(db, cols, 'hosted_requests', 'server', names);
  const sources = await select(db, cols, 'external_sources', 'server', names);
  const byName = (s: string, rows: BackupRow[], key = 'server') => rows.filter((r) => r[key] === s);
  const order = <T extends BackupRow>(rows: T[], ...by: string[]) => rows.sort((a, b) => by.map((k) => String(a[k]).localeCompare(String(b[k]))).find((c) => c !== 0) ?? 0);
  return {
    profiles: order(await select(db, cols, 'profiles', 'name', keys?.profiles), 'name'),
    pins: order(await select(db, cols, 'tool_pins', 'server', keys?.pinServers), 'server', 'kind', 'name'),
    serverTrust: order(await select(db, cols, 'server_trust', 'server', keys?.pinServers), 'server'),
    hosted: order(servers, 'name').map((server) => {
      const mine = order(byName(String(server['name']), tools), 'name');
      const mineIds = new Set(mine.map((t) => t['id']));
      return {
        server,
        tools: mine,
        versions: versions.filter((v) => mineIds.has(v['tool_id'])).sort((a, b) => String(a['tool_id']).localeCompare(String(b['tool_id'])) || Number(a['version']) - Number(b['version'])),
        requests: order(byName(String(server['name']), requests), 'created_at', 'id'),
        sources: order(byName(String(server['name']), sources), 'name'),
      };
    }),
  };
}

function writer(db: Db, cols: Map<string, Set<string>>): BackupWriter {
  const insert = async (table: string, row: BackupRow) => {
    const known = cols.get(table);
    if (!known) return;
    const values: BackupRow = {};
    for (const [k, v] of Object.entries(row)) {
      if (!known.has(k)) continue;
      values[k] = (JSON_COLUMNS[table] ?? []).includes(k) && v !== null && v !== undefined ? JSON.stringify(v) : v;
    }
    await db.insertInto(table).values(values).execute();
  };
  return {
    secrets: secretsWriter(db),
    async replaceProfiles(names, rows) {
      if (names.length) await db.deleteFrom('profiles').where('name', 'in', names).execute();
      for (const r of rows) await insert('profiles', r);
    },
    async replacePins(servers, pins, serverTrust) {
      if (servers.length) {
        await db.deleteFrom('tool_pins').where('server', 'in', servers).execute();
        await db.deleteFrom('server_trust').where('server', 'in', servers).execute();
      }
      for (const r of pins) await insert('tool_pins', r);
      for (const r of serverTrust) await insert('server_trust', r);
    },
    async replaceHosted(names, bundles) {
      if (names.length) {
        await db.deleteFrom('hosted_requests').where('server', 'in', names).execute();
        // Tools (and their versions), and external sources, go with their server (ON DELETE CASCADE);
        // tools first, since an external tool refers to its source.
        await db.deleteFrom('hosted_tools').where('server', 'in', names).execute();
        await db.deleteFrom('hosted_servers').where('name', 'in', names).execute();
      }
      for (const b of bundles) {
        await insert('hosted_servers', b.server);
        for (const r of b.sources) await insert('external_sources', r);
        for (const r of b.tools) await insert('hosted_tools', r);
        for (const r of b.versions) await insert('hosted_tool_versions', r);
        for (const r of b.requests) await insert('hosted_requests', r);
      }
    },
  };
}

export function createBackupRepo(db: Db): BackupRepo {
  return {
    read: () => db.transaction().execute((tx) => readRows(tx)),
    readFor: (keys) => db.transaction().execute((tx) => readRows(tx, keys)),
    write: (fn) =>
      db.transaction().execute(async (tx) => {
        const cols = await tableColumns(tx);
        return fn(writer(tx, cols));
      }),
  };
}
