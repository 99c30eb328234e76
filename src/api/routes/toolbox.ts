import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { VERSION } from '../../version.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/**
 * The ToolBoxV2-style JSON layer: MCP's list/call/read as plain JSON POSTs under /mcp/*, for clients
 * that do not speak JSON-RPC. Every call goes through the gateway's `McpOperations`, so the policy gate,
 * argument validation and the activity log are the same as on /mcp. Stateless: `initialize` only
 * describes the server, there is no session to carry.
 */

const TAG = 'mcp-json';
/** The MCP revision whose result shapes these bodies follow. */
const PROTOCOL_VERSION = '2025-11-25';

/** Errors a call that reaches an upstream can end in, besides the guard's. */
const CALL_ERRORS = { ...GUARDED_ERRORS, 404: ErrorEnvelope, 502: ErrorEnvelope, 503: ErrorEnvelope, 504: ErrorEnvelope } as const;

const Json = z.record(z.string(), z.unknown());
/** MCP items are forwarded as the upstream sent them: the named fields are the ones clients rely on. */
const Tool = z.looseObject({ name: z.string(), title: z.string().optional(), description: z.string().optional(), inputSchema: Json.optional() }).describe('An MCP tool, exposed name');
const Resource = z.looseObject({ uri: z.string(), name: z.string().optional(), mimeType: z.string().optional() }).describe('An MCP resource, exposed URI');
const Prompt = z.looseObject({ name: z.string(), description: z.string().optional(), arguments: z.array(Json).optional() }).describe('An MCP prompt');
const ContentBlock = z.looseObject({ type: z.string() }).describe('An MCP content block (text, image, audio, resource_link, resource)');
const ResourceContents = z.looseObject({ uri: z.string(), mimeType: z.string().optional(), text: z.string().optional(), blob: z.string().optional() });

/** List requests take no parameters; no body, `{}` or a cursor are all accepted: lists are never paged here. */
const ListBody = z.looseObject({ cursor: z.string().optional().describe('Ignored: the whole list is returned') }).nullish();

const InitializeBody = z
  .looseObject({
    protocolVersion: z.string().optional(),
    capabilities: Json.optional(),
    clientInfo: z.looseObject({ name: z.string(), version: z.string().optional() }).optional(),
  })
  .nullish();
const InitializeResult = z.object({
  protocolVersion: z.string(),
  serverInfo: z.object({ name: z.string(), version: z.string() }),
  capabilities: z.object({ tools: Json, resources: Json, prompts: Json }),
  endpoints: z.array(z.string()).describe('The JSON-layer endpoints this server answers'),
});

const CallBody = z.object({
  name: z.string().min(1).describe('Exposed tool name, as /mcp/tools/list returns it'),
  arguments: Json.nullish().describe('Tool arguments (an object; absent or null means none)'),
});
const CallResult = z.looseObject({
  content: z.array(ContentBlock),
  structuredContent: Json.optional(),
  isError: z.boolean().describe('True when the tool itself reported a failure'),
});
const ReadBody = z.object({ uri: z.string().min(1).describe('Exposed resource URI, as /mcp/resources/list returns it') });
const GetPromptBody = z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.string()).optional() });
const GetPromptResult = z.looseObject({ description: z.string().optional(), messages: z.array(z.looseObject({ role: z.string(), content: Json })) });

const ENDPOINTS = ['/mcp/initialize', '/mcp/tools/list', '/mcp/tools/call', '/mcp/resources/list', '/mcp/resources/read', '/mcp/prompts/list', '/mcp/prompts/get'];

/** Aborts the upstream request when the client goes away before its answer. */
function abortOnDisconnect(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

export function toolboxRoutes(app: ApiApp, deps: ApiDeps): void {
  const mcp = () => deps.admin.deps.mcp;

  app.post(
    '/mcp/initialize',
    {
      preHandler: guard(deps, 'read'),
      schema: { tags: [TAG], summary: 'Describe the server (JSON layer; stateless, no session)', security: SECURED, body: InitializeBody, response: { 200: InitializeResult, ...GUARDED_ERRORS } },
    },
    async () => ({
      protocolVersion: PROTOCOL_VERSION,
      serverInfo: { name: 'switchboard', version: VERSION },
      capabilities: { tools: {}, resources: {}, prompts: {} },
      endpoints: ENDPOINTS,
    }),
  );

  app.post(
    '/mcp/tools/list',
    {
      preHandler: guard(deps, 'read'),
      schema: { tags: [TAG], summary: 'List the tools this key may call', description: 'Filtered by the policy gate: a tool the caller cannot call is not listed.', security: SECURED, body: ListBody, response: { 200: z.object({ tools: z.array(Tool) }), ...GUARDED_ERRORS } },
    },
    async (req) => ({ tools: (await mcp().listTools(principalOf(req))) as z.infer<typeof Tool>[] }),
  );

  app.post(
    '/mcp/tools/call',
    {
      preHandler: guard(deps, 'execute'),
      schema: { tags: [TAG], summary: 'Call a tool with JSON arguments', description: 'A tool the caller may not call answers 404 like an unknown one. A failure reported by the tool itself is a 200 with isError: true.', security: SECURED, body: CallBody, response: { 200: CallResult, ...CALL_ERRORS } },
    },
    async (req, reply) => {
      const result = await mcp().callTool(principalOf(req), req.body.name, req.body.arguments ?? {}, { signal: abortOnDisconnect(reply) });
      return { ...result, content: (result['content'] as z.infer<typeof ContentBlock>[] | undefined) ?? [], isError: result['isError'] === true };
    },
  );

  app.post(
    '/mcp/resources/list',
    {
      preHandler: guard(deps, 'read'),
      schema: { tags: [TAG], summary: 'List the resources this key may read', security: SECURED, body: ListBody, response: { 200: z.object({ resources: z.array(Resource) }), ...GUARDED_ERRORS } },
    },
    async (req) => ({ resources: (await mcp().listResources(principalOf(req))) as z.infer<typeof Resource>[] }),
  );

  app.post(
    '/mcp/resources/read',
    {
      preHandler: guard(deps, 'read'),
      schema: { tags: [TAG], summary: 'Read a resource by URI', security: SECURED, body: ReadBody, response: { 200: z.looseObject({ contents: z.array(ResourceContents) }), ...CALL_ERRORS } },
    },
    async (req, reply) => {
      const result = await mcp().readResource(principalOf(req), req.body.uri, { signal: abortOnDisconnect(reply) });
      return { ...result, contents: (result['contents'] as z.infer<typeof ResourceContents>[] | undefined) ?? [] };
    },
  );

  app.post(
    '/mcp/prompts/list',
    {
      preHandler: guard(deps, 'read'),
      schema: { tags: [TAG], summary: 'List the prompts this key may get', security: SECURED, body: ListBody, response: { 200: z.object({ prompts: z.array(Prompt) }), ...GUARDED_ERRORS } },
    },
    async (req) => ({ prompts: (await mcp().listPrompts(principalOf(req))) as z.infer<typeof Prompt>[] }),
  );

  app.post(
    '/mcp/prompts/get',
    {
      preHandler: guard(deps, 'read'),
      schema: { tags: [TAG], summary: 'Get a prompt with string arguments', security: SECURED, body: GetPromptBody, response: { 200: GetPromptResult, ...CALL_ERRORS } },
    },
    async (req, reply) => {
      const result = await mcp().getPrompt(principalOf(req), req.body.name, req.body.arguments ?? {}, { signal: abortOnDisconnect(reply) });
      return { ...result, messages: (result['messages'] as z.infer<typeof GetPromptResult>['messages'] | undefined) ?? [] };
    },
  );
}
