import { z } from 'zod';
import { SERVER_NAME } from './server-definition.js';

/**
 * Inputs of the hosted-server and hosted-tool operations, shared by the REST routes and the MCP
 * management tools so both faces accept exactly the same thing.
 */

/** Tool names: what MCP clients see after the prefix; a Python-identifier-like name. */
export const TOOL_NAME = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be 1-64 letters, digits, "_" and "-", starting with a letter');
const CODE = z.string().min(1).max(1024 * 1024).describe('Python source defining `async def main(...)`, or JavaScript defining `main(args)` (see language)');
const DESCRIPTION = z.string().max(2000);
/** The language of a tool's code; python unless given. */
export const LANGUAGE = z.enum(['python', 'javascript']).describe('`python` (default): `async def main(...)`; `javascript`: `export default async function main(args)`');

export const HostedServerCreate = z.strictObject({
  name: SERVER_NAME,
  description: DESCRIPTION.optional(),
  allowed_hosts: z.array(z.string().max(300)).max(100).optional().describe('`host`, `*.domain` or either with `:port`'),
  timeout_ms: z.number().int().min(100).max(300_000).optional().describe('Wall-time limit of each call (default 30 s)'),
});
export type HostedServerCreate = z.infer<typeof HostedServerCreate>;

export const HostedServerPatch = z.strictObject({
  description: DESCRIPTION.nullable().optional(),
  allowed_hosts: z.array(z.string().max(300)).max(100).optional(),
  timeout_ms: z.number().int().min(100).max(300_000).nullable().optional(),
});
export type HostedServerPatch = z.infer<typeof HostedServerPatch>;

export const HostedToolCreate = z.strictObject({
  name: TOOL_NAME,
  description: DESCRIPTION.optional().describe("Default: the docstring of `main`"),
  code: CODE,
  language: LANGUAGE.optional(),
});
export type HostedToolCreate = z.infer<typeof HostedToolCreate>;

export const HostedToolPatch = z.strictObject({
  name: TOOL_NAME.optional(),
  description: DESCRIPTION.nullable().optional(),
  code: CODE.optional(),
  language: LANGUAGE.optional().describe('Changing the language needs new `code` too'),
});
export type HostedToolPatch = z.infer<typeof HostedToolPatch>;

export const ValidateCodeInput = z.strictObject({ code: z.string().max(1024 * 1024), language: LANGUAGE.optional() });
export type ValidateCodeInput = z.infer<typeof ValidateCodeInput>;

export const TestCodeInput = z.strictObject({
  tool_id: z.string().min(1).max(64),
  arguments: z.record(z.string(), z.unknown()).default({}),
});
export type TestCodeInput = z.infer<typeof TestCodeInput>;

export const PublishRequestInput = z.strictObject({ note: z.string().max(2000).optional() });

export const ModuleRequestInput = z.strictObject({
  module: z.string().min(1).max(200).describe('A Python module name, e.g. "xml.etree.ElementTree"'),
  justification: z.string().min(1).max(2000),
  tool_id: z.string().min(1).max(64).optional(),
});
export type ModuleRequestInput = z.infer<typeof ModuleRequestInput>;

export const NetworkRequestInput = z.strictObject({
  host: z.string().min(1).max(300).describe('`host` or `host:port`'),
  justification: z.string().min(1).max(2000),
  tool_id: z.string().min(1).max(64).optional(),
});
export type NetworkRequestInput = z.infer<typeof NetworkRequestInput>;

/** An admin's decision; a rejection needs a reason. */
export const DecisionInput = z
  .strictObject({ action: z.enum(['approve', 'reject']), reason: z.string().min(1).max(2000).optional() })
  .refine((d) => d.action === 'approve' || d.reason !== undefined, { message: 'a rejection needs a reason', path: ['reason'] });
export type DecisionInput = z.infer<typeof DecisionInput>;

export const RevokeInput = z.strictObject({ reason: z.string().min(1).max(2000).optional() });

export const ModulesPatch = z.strictObject({
  add: z.array(z.string().min(1).max(200)).max(100).optional(),
  remove: z.array(z.string().min(1).max(200)).max(100).optional(),
});
export type ModulesPatch = z.infer<typeof ModulesPatch>;
