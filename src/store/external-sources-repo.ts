import type { Kysely, Selectable } from 'kysely';
import { SwitchboardError } from '../shared/index.js';

/** Table shape of the external MCP sources of hosted servers (migration 0009). */
export interface ExternalSourcesTables {
  external_sources: {
    id: string;
    server: string;
    name: string;
    description: string | null;
    transport: string;
    url: string;
    headers: string;
    timeout_ms: number | null;
    last_discovered_at: string | null;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
}

export type ExternalTransport = 'streamable-http' | 'sse';

/** An upstream MCP server attached to a hosted server, whose tools can be imported into it. */
export interface ExternalSourceRecord {
  id: string;
  /** The hosted server it belongs to. */
  server: string;
  /** Unique within the server. */
  name: string;
  description?: string;
  transport: ExternalTransport;
  url: string;
  /** Sent with every request; values may hold `${secret:NAME}` references to the server's secrets. */
  headers: Record<string, string>;
  timeoutMs?: number;
  lastDiscoveredAt?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export type ExternalSourcePatch = Partial<Pick<ExternalSourceRecord, 'name' | 'description' | 'transport' | 'url' | 'headers' | 'timeoutMs' | 'lastDiscoveredAt'>>;

/** Queries for external sources; the only code that touches their table. */
export interface ExternalSourcesRepo {
  list(server?: string): Promise<ExternalSourceRecord[]>;
  get(id: string): Promise<ExternalSourceRecord | undefined>;
  /** Throws SWB_STATE_CONFLICT when the server already has a source of that name. */
  insert(rec: Omit<ExternalSourceRecord, 'createdAt' | 'updatedAt' | 'lastDiscoveredAt'>): Promise<ExternalSourceRecord>;
  /** Throws SWB_STATE_CONFLICT on a duplicate name. */
  update(id: string, patch: ExternalSourcePatch): Promise<ExternalSourceRecord | undefined>;
  /** Throws SWB_STATE_CONFLICT while hosted tools still forward to it. */
  delete(id: string): Promise<boolean>;
}

type Db = Kysely<ExternalSourcesTables>;
const now = () => new Date().toISOString();

function toRecord(r: Selectable<ExternalSourcesTables['external_sources']>): ExternalSourceRecord {
  return {
    id: r.id,
    server: r.server,
    name: r.name,
    ...(r.description !== null ? { description: r.description } : {}),
    transport: r.transport === 'sse' ? 'sse' : 'streamable-http',
    url: r.url,
    headers: JSON.parse(r.headers) as Record<string, string>,
    ...(r.timeout_ms !== null ? { timeoutMs: r.timeout_ms } : {}),
    ...(r.last_discovered_at !== null ? { lastDiscoveredAt: r.last_discovered_at } : {}),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function constraint(err: unknown): string | undefined {
  const code = String((err as { code?: unknown }).code ?? '');
  return /^SQLITE_CONSTRAINT/.test(code) || code === '23505' || code === '23503' ? code : undefined;
}

export function createExternalSourcesRepo(db: Db): ExternalSourcesRepo {
  const get = async (id: string) => {
    const r = await db.selectFrom('external_sources').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  };
  return {
    async list(server) {
      let q = db.selectFrom('external_sources').selectAll();
      if (server !== undefined) q = q.where('server', '=', server);
      return (await q.orderBy('created_at').orderBy('name').execute()).map(toRecord);
    },
    get,
    async insert(rec) {
      const at = now();
      try {
        await db
          .insertInto('external_sources')
          .values({ id: rec.id, server: rec.server, name: rec.name, description: rec.description ?? null, transport: rec.transport, url: rec.url, headers: JSON.stringify(rec.headers), timeout_ms: rec.timeoutMs ?? null, last_discovered_at: null, created_by: rec.createdBy, created_at: at, updated_at: at })
          .execute();
      } catch (err) {
        if (constraint(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', `Hosted server '${rec.server}' already has an external source named '${rec.name}'`, { server: rec.server, name: rec.name });
        throw err;
      }
      return (await get(rec.id))!;
    },
    async update(id, patch) {
      const row: Partial<ExternalSourcesTables['external_sources']> = { updated_at: now() };
      if (patch.name !== undefined) row.name = patch.name;
      if ('description' in patch) row.description = patch.description ?? null;
      if (patch.transport !== undefined) row.transport = patch.transport;
      if (patch.url !== undefined) row.url = patch.url;
      if (patch.headers !== undefined) row.headers = JSON.stringify(patch.headers);
      if ('timeoutMs' in patch) row.timeout_ms = patch.timeoutMs ?? null;
      if (patch.lastDiscoveredAt !== undefined) row.last_discovered_at = patch.lastDiscoveredAt;
      try {
        await db.updateTable('external_sources').set(row).where('id', '=', id).execute();
      } catch (err) {
        if (constraint(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', `This hosted server already has an external source named '${patch.name ?? ''}'`, { id, name: patch.name });
        throw err;
      }
      return get(id);
    },
    async delete(id) {
      try {
        const r = await db.deleteFrom('external_sources').where('id', '=', id).executeTakeFirst();
        return Number(r.numDeletedRows) > 0;
      } catch (err) {
        if (constraint(err)) throw new SwitchboardError('SWB_STATE_CONFLICT', 'Hosted tools still forward to this external source; delete them first', { id });
        throw err;
      }
    },
  };
}
