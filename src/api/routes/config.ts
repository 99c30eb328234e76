import { z } from 'zod';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/** The configuration file: read (redacted), validate (changes nothing), apply (atomic write, then reload). */

const TAG = 'config';

const ServerConfig = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'sse', 'streamable-http']),
  command: z.string().optional(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()).describe('Values other than ${secret:…} references are masked'),
  cwd: z.string().optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).describe('Values other than ${secret:…} references are masked'),
  enabled: z.boolean(),
  alias: z.string().optional(),
  quarantined: z.boolean(),
  timeoutMs: z.number().int(),
});

const Config = z.object({
  servers: z.array(ServerConfig),
  gateway: z.object({ prefix: z.enum(['always', 'never']), separator: z.string() }),
  http: z.object({ host: z.string(), port: z.number().int(), maxBodyBytes: z.number().int(), allowedHosts: z.array(z.string()), allowedOrigins: z.array(z.string()) }),
  apiKey: z.string().optional().describe('Masked when set'),
  allowUnauthenticatedLoopback: z.boolean(),
});

const ConfigView = z.object({ path: z.string().nullable().describe('The config file; null when the gateway runs without one'), config: Config });

const Issue = z.object({ path: z.string().describe('JSON path, e.g. mcpServers.github.args[2]'), message: z.string() });
const ServerChanges = z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()), unchanged: z.array(z.string()) });

const ConfigCheck = z.object({
  valid: z.boolean(),
  issues: z.array(Issue),
  warnings: z.array(Issue).describe('Will load, but a server will not start (e.g. a ${secret:…} without a value)'),
  servers: ServerChanges.optional().describe('What applying it would change, compared with the running configuration'),
});

const ConfigApplied = z.object({ path: z.string(), servers: ServerChanges });

const Body = z.unknown().describe('A configuration in any accepted format (Switchboard, Claude Desktop, Cursor, VS Code, MCPProxy), as JSON, or as JSON text with content-type text/plain');

export function configRoutes(app: ApiApp, deps: ApiDeps): void {
  const config = () => deps.admin.config;

  app.get(
    '/api/config',
    { preHandler: guard(deps, 'read'), schema: { tags: [TAG], summary: 'Get the running configuration (API key, env and header values redacted)', security: SECURED, response: { 200: ConfigView, ...GUARDED_ERRORS } } },
    async () => config().get(),
  );

  app.post(
    '/api/config/validate',
    { preHandler: guard(deps, 'write'), schema: { tags: [TAG], summary: 'Validate a configuration without changing anything', security: SECURED, body: Body, response: { 200: ConfigCheck, ...GUARDED_ERRORS } } },
    async (req) => config().validate(req.body),
  );

  app.post(
    '/api/config/apply',
    {
      preHandler: guard(deps, 'admin'),
      schema: {
        tags: [TAG],
        summary: 'Validate, write the config file atomically, and apply it (all or nothing)',
        security: SECURED,
        body: Body,
        response: { 200: ConfigApplied, ...GUARDED_ERRORS, 409: ErrorEnvelope, 422: ErrorEnvelope },
      },
    },
    async (req) => config().apply(req.body, principalOf(req)),
  );
}
