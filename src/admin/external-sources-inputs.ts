import { z } from 'zod';
import { TOOL_NAME } from './hosted-inputs.js';
import { SERVER_NAME } from './server-definition.js';

/**
 * Inputs of the external-source operations, shared by the REST routes and the MCP management tools so
 * both faces accept exactly the same thing.
 */

export const SOURCE_NAME = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." and "-", starting with a letter or digit');
const HEADER_NAME = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'not an HTTP header name');
const HEADERS = z
  .record(HEADER_NAME, z.string().max(8192))
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 headers')
  .describe('Sent with every request; credentials must be `${secret:NAME}` references to the hosted server\'s secrets, e.g. {"Authorization": "Bearer ${secret:TOKEN}"}');
const TRANSPORT = z.enum(['streamable-http', 'sse']).describe('How the source speaks MCP (default streamable-http)');
const URL_TEXT = z.string().min(1).max(2000).describe("The source's MCP endpoint (http or https); its host must be on the hosted server's allowed hosts, or network_access_policy public");
const TIMEOUT = z.number().int().min(100).max(300_000).describe('Bound on connecting and on each request (default: the server timeout, else 30 s)');

export const ExternalSourceCreate = z.strictObject({
  server: SERVER_NAME.describe('The hosted server the source belongs to'),
  name: SOURCE_NAME,
  description: z.string().max(2000).optional(),
  url: URL_TEXT,
  transport: TRANSPORT.optional(),
  headers: HEADERS.optional(),
  timeout_ms: TIMEOUT.optional(),
});
export type ExternalSourceCreate = z.infer<typeof ExternalSourceCreate>;

export const ExternalSourcePatch = z.strictObject({
  name: SOURCE_NAME.optional(),
  description: z.string().max(2000).nullable().optional(),
  url: URL_TEXT.optional(),
  transport: TRANSPORT.optional(),
  headers: HEADERS.optional(),
  timeout_ms: TIMEOUT.nullable().optional(),
});
export type ExternalSourcePatch = z.infer<typeof ExternalSourcePatch>;

const REMOTE_TOOL = z.string().min(1).max(128).describe("The tool's name on the source");

export const ExternalImportInput = z.strictObject({
  tools: z
    .array(z.union([REMOTE_TOOL, z.strictObject({ name: REMOTE_TOOL, as: TOOL_NAME.optional().describe('Name in the hosted server (default: the source name, made a valid tool name)') })]))
    .min(1)
    .max(100)
    .describe('Tools to import, by their name on the source (discover lists them)'),
});
export type ExternalImportInput = z.infer<typeof ExternalImportInput>;
