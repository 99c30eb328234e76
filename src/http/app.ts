import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { errorEnvelope, SwitchboardError, ERROR_CODES, type Authenticate, type Principal } from '../shared/index.js';
import { checkHostAndOrigin, type HostPolicy } from './guards.js';

/**
 * The MCP faces the HTTP layer serves; they take raw Node objects because the SDK transports do. The
 * last argument is who is calling, resolved before any MCP parsing.
 */
export interface McpFaces {
  streamable: { handle(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal, exposure?: McpExposure): Promise<void> };
  sse: {
    open(req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void>;
    post(sessionId: string | undefined, body: unknown, res: ServerResponse, principal: Principal): void;
  };
}

export interface HttpAppOptions extends HostPolicy {
  maxBodyBytes: number;
  /** Resolves the request's credentials (users' access tokens, API keys, the admin token, bootstrap keys). */
  authenticate: Authenticate;
  faces: McpFaces;
  /** What /mcp serves (`gateway.exposure`); all tools when absent. */
  mcpExposure?: () => McpExposure;
  health: () => unknown;
  logger?: boolean | object;
}

/** Which tools an MCP path shows: all (`/mcp`), the search meta-tools (`/mcp/search`) or a profile (`/mcp/p/<name>`). */
export type McpExposure = { mode: 'all' } | { mode: 'search' } | { mode: 'profile'; profile: string };

const MCP_PATHS = new Set(['/mcp', '/mcp/search', '/sse', '/messages']);
const PROFILE_PATH = /^\/mcp\/p\/[A-Za-z0-9_-]{1,64}$/;

function isMcpPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return MCP_PATHS.has(path) || PROFILE_PATH.test(path);
}

/** Build the Fastify app: guards first, then the MCP endpoints and /health. */
export function buildHttpApp(opts: HttpAppOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: opts.maxBodyBytes,
    logger: opts.logger ?? false,
    return503OnClosing: false,
    forceCloseConnections: true,
    // Errors Fastify raises while routing (bad percent-encoding, an over-long path segment) and malformed
    // HTTP get the one envelope too, not Fastify's own `{error, code: 'FST_…', statusCode}` shape.
    frameworkErrors: (err, req, rawReply) => {
      const reply = rawReply as FastifyReply;
      const message = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long' : 'The URL is not valid (bad percent-encoding)';
      if (isMcpPath(req.url)) return sendMcpError(reply, 400, -32600, `SWB_HTTP_BAD_REQUEST: ${message}`);
      return reply.code(400).send(errorEnvelope(new SwitchboardError('SWB_HTTP_BAD_REQUEST', message)));
    },
    clientErrorHandler: malformedHttp,
  });
  // Who each MCP request is, set by the onRequest hook for the handler (a WeakMap: nothing to clean up).
  const principals = new WeakMap<FastifyRequest, Principal>();
  const principalOf = (req: FastifyRequest): Principal => {
    const p = principals.get(req);
    if (!p) throw new Error('MCP request reached its handler without a principal');
    return p;
  };

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch (err) {
      done(Object.assign(new Error(`Parse error: ${(err as Error).message}`), { statusCode: 400, code: 'SWB_PARSE_ERROR' }), undefined);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    if (!isMcpPath(req.url)) return;
    const denied = checkHostAndOrigin(req.headers, opts);
    if (denied) return sendMcpError(reply, denied.httpStatus, denied.jsonRpcCode, `${denied.code}: ${denied.message}`);
    // MCP clients can set headers, so `?apikey=` is not accepted here (it would end up in access logs).
    const who = await opts.authenticate({ headers: req.headers, query: req.query as Record<string, unknown>, allowQueryKey: false, ip: req.ip });
    if (who instanceof SwitchboardError) return sendMcpError(reply, who.httpStatus, who.jsonRpcCode, `${who.code}: ${who.message}`, who.httpStatus === 401);
    principals.set(req, who);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (isMcpPath(req.url)) {
      if (err.code === 'SWB_PARSE_ERROR') return sendMcpError(reply, 400, -32700, err.message);
      if (status === 413) return sendMcpError(reply, 413, -32600, `SWB_HTTP_BODY_TOO_LARGE: request body exceeds ${opts.maxBodyBytes} bytes`);
      if (status < 500) return sendMcpError(reply, status, -32600, `SWB_HTTP_BAD_REQUEST: ${err.message}`);
      req.log.error({ err }, 'MCP request failed');
      return sendMcpError(reply, 500, -32603, 'SWB_INTERNAL_ERROR: Internal error');
    }
    const swb =
      status === 413
        ? new SwitchboardError('SWB_HTTP_BODY_TOO_LARGE', 'Request body too large')
        : status < 500
          ? new SwitchboardError('SWB_HTTP_BAD_REQUEST', err.code === 'SWB_PARSE_ERROR' ? err.message : 'Bad request')
          : new SwitchboardError('SWB_INTERNAL_ERROR', 'Internal error');
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(ERROR_CODES[swb.code].http).send(errorEnvelope(swb));
  });

  app.setNotFoundHandler((req, reply) => reply.code(404).send(errorEnvelope(new SwitchboardError('SWB_HTTP_ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`))));

  app.get('/health', async () => opts.health());

  const mcp = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await opts.faces.streamable.handle(req.raw, reply.raw, req.body, principalOf(req), opts.mcpExposure?.());
  };
  app.post('/mcp', mcp);
  app.get('/mcp', mcp);
  app.delete('/mcp', mcp);
  const exposed = (exposure: (req: FastifyRequest) => McpExposure) => async (req: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await opts.faces.streamable.handle(req.raw, reply.raw, req.body, principalOf(req), exposure(req));
  };
  const search = exposed(() => ({ mode: 'search' }));
  const profile = exposed((req) => ({ mode: 'profile', profile: (req.params as { profile: string }).profile }));
  for (const method of ['POST', 'GET', 'DELETE'] as const) {
    app.route({ method, url: '/mcp/search', handler: search });
    // The name pattern keeps other /mcp/p/... paths on the not-found handler (and out of the MCP auth hook).
    app.route({ method, url: '/mcp/p/:profile(^[A-Za-z0-9_-]{1,64}$)', handler: profile });
  }

  app.get('/sse', async (req, reply) => {
    reply.hijack();
    await opts.faces.sse.open(req.raw, reply.raw, principalOf(req));
  });
  app.post('/messages', async (req, reply) => {
    reply.hijack();
    const sessionId = (req.query as Record<string, string | undefined>)['sessionId'];
    opts.faces.sse.post(sessionId, req.body, reply.raw, principalOf(req));
  });
  return app;
}

/** Answer a request Node's HTTP parser refused (e.g. two Content-Length headers) in the one envelope. */
function malformedHttp(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const [status, text, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'The request was not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'The request headers are too large']
        : [400, 'Bad Request', 'Malformed HTTP request'];
  const body = JSON.stringify(errorEnvelope(new SwitchboardError('SWB_HTTP_BAD_REQUEST', message)));
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function sendMcpError(reply: FastifyReply, status: number, code: number, message: string, challenge = false): FastifyReply {
  if (challenge) reply.header('www-authenticate', 'Bearer realm="switchboard"');
  return reply.code(status).header('content-type', 'application/json').send({ jsonrpc: '2.0', id: null, error: { code, message } });
}
