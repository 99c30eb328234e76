import { z } from 'zod';

/** Profile names: 1-64 characters of letters, digits, `_` and `-` (they appear in the /mcp/p/<name> path). */
export const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Tool names a profile may give (the MCP tool-name rule). */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** Annotation overrides: the MCP tool annotations, each optional. */
const Annotations = z
  .object({
    title: z.string().max(200).optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .strict();

/** One pick of a profile: tools matching `match`, optionally presented under another name, title, description or annotations. */
export const ProfileToolSchema = z
  .object({
    match: z
      .string()
      .min(1)
      .max(256)
      .describe('An exposed tool name or glob ("github__*"), or the server/tool form ("github/create_*", matched against the upstream\'s own names)'),
    name: z.string().regex(TOOL_NAME, 'must be 1-128 characters of letters, digits, "_", "." and "-"').optional().describe('Present the tool under this name (only when `match` names one tool, without globs)'),
    title: z.string().max(200).optional(),
    description: z.string().max(4000).optional(),
    annotations: Annotations.optional().describe('Merged over the upstream\'s annotations'),
  })
  .strict()
  .refine((t) => t.name === undefined || !GLOB_CHARS.test(t.match), { message: 'a "name" override needs a "match" without glob characters (it would rename several tools to one name)', path: ['name'] });

/** A named profile (a virtual server on /mcp/p/<name>): tools picked across servers. */
export const ProfileSchema = z
  .object({
    description: z.string().max(1000).optional(),
    tools: z.array(ProfileToolSchema).min(1).max(500),
  })
  .strict();

export type ProfileTool = z.infer<typeof ProfileToolSchema>;
export type ProfileDefinition = z.infer<typeof ProfileSchema>;

/** Whether a profile pick is a pattern (matches by glob) rather than one exact name. */
export const isPattern = (match: string): boolean => GLOB_CHARS.test(match);
