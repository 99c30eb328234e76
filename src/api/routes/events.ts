import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { EVENT_TYPES, type EventType, type SwitchboardEvent } from '../../events/index.js';
import { guard, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { GUARDED_ERRORS } from '../envelope.js';

/**
 * `?types=` for live streams: comma-separated event types, or a domain wildcard (`activity.*`),
 * expanded to the concrete types. Unknown names are a 400, so a typo is not a silent empty stream.
 */
export const eventTypesParam = z
  .string()
  .transform((s, ctx) => {
    const out = new Set<EventType>();
    for (const raw of s.split(',').map((x) => x.trim()).filter(Boolean)) {
      const matches = raw.endsWith('.*') ? EVENT_TYPES.filter((t) => t.startsWith(raw.slice(0, -1))) : EVENT_TYPES.filter((t) => t === raw);
      if (matches.length === 0) {
        ctx.addIssue({ code: 'custom', message: `unknown event type '${raw}'; known: ${EVENT_TYPES.join(', ')} (or a prefix like activity.*)` });
        return z.NEVER;
      }
      for (const m of matches) out.add(m);
    }
    if (out.size === 0) {
      ctx.addIssue({ code: 'custom', message: 'name at least one event type' });
      return z.NEVER;
    }
    return [...out];
  })
  .describe(`Comma-separated event types (${EVENT_TYPES.join(', ')}) or a prefix wildcard like activity.*; default all`);

/** What a live stream sends for one event. */
export function toWire(e: SwitchboardEvent): { id: number; type: string; at: string; data: Readonly<Record<string, unknown>> } {
  return { id: e.id, type: e.type, at: e.at, data: e.data };
}

/** Unsent bytes beyond which a slow SSE client is disconnected instead of buffered without bound. */
const MAX_PENDING_BYTES = 1_000_000;

/** Write one event in SSE framing (`id`, `event`, `data`); returns false when the client fell too far behind. */
function writeEvent(res: ServerResponse, e: SwitchboardEvent): boolean {
  if (res.writableLength > MAX_PENDING_BYTES) return false;
  res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(toWire(e))}\n\n`);
  return true;
}

/** Live events over Server-Sent Events: `servers.changed`, `config.reloaded`, `tools.indexed`, `activity.*`. */
export function eventRoutes(app: ApiApp, deps: ApiDeps): void {
  const open = new Set<ServerResponse>();
  // Streams never end on their own; end them when the server closes so shutdown does not wait on them.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get(
    '/events',
    {
      preHandler: guard(deps, 'read', { allowQueryKey: true }),
      schema: {
        tags: ['events'],
        summary: 'Live events as Server-Sent Events (text/event-stream), with heartbeats; `?apikey=` accepted here for EventSource',
        security: SECURED,
        querystring: z.object({ types: eventTypesParam.optional(), apikey: z.string().optional().describe('API key, for clients that cannot send headers (EventSource)') }),
        response: {
          200: { description: 'text/event-stream: `id`, `event` (the type) and `data` (JSON {id, type, at, data}) per event; `: heartbeat` comments', content: { 'text/event-stream': { schema: z.string() } } },
          ...GUARDED_ERRORS,
        },
      },
    },
    async (req, reply) => {
      const service = deps.admin.activity;
      const types = req.query.types;
      reply.hijack();
      const res = reply.raw;
      // Hijacked: carry over what earlier hooks (CORS, rate limit) set on the reply.
      const inherited = Object.fromEntries(Object.entries(reply.getHeaders()).filter((e): e is [string, string | number | string[]] => e[1] !== undefined));
      res.writeHead(200, { ...inherited, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 3000\n: connected\n\n');
      open.add(res);
      let unsubscribe = (): void => undefined;
      const heartbeat = setInterval(() => {
        if (res.writableLength <= MAX_PENDING_BYTES) res.write(': heartbeat\n\n');
        else res.destroy();
      }, service.heartbeatMs);
      const done = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      };
      unsubscribe = service.subscribe(types, (e) => {
        if (!writeEvent(res, e)) res.destroy();
      });
      // The response's 'close' fires when the client goes away (or the stream is ended on shutdown).
      res.on('close', done);
      res.on('error', done);
    },
  );
}
