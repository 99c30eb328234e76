import { z } from 'zod';
import { invalidParams } from './errors.js';
import { LOG_LEVELS } from './sessions.js';

const meta = z.record(z.string(), z.unknown()).optional();

export const CallToolParams = z.looseObject({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).optional(), _meta: meta });
export const ListParams = z.looseObject({ cursor: z.string().optional(), _meta: meta }).optional();
export const UriParams = z.looseObject({ uri: z.string().min(1), _meta: meta });
export const GetPromptParams = z.looseObject({ name: z.string().min(1), arguments: z.record(z.string(), z.string()).optional(), _meta: meta });
export const SetLevelParams = z.looseObject({ level: z.enum(LOG_LEVELS) });
export const CompleteParams = z.looseObject({
  ref: z.union([z.looseObject({ type: z.literal('ref/prompt'), name: z.string() }), z.looseObject({ type: z.literal('ref/resource'), uri: z.string() })]),
  argument: z.looseObject({ name: z.string(), value: z.string() }),
});

/** Validate request params; a failure becomes -32602 naming the offending field. */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown, method: string): z.infer<T> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.length ? `params.${issue.path.join('.')}` : 'params';
  throw invalidParams(`Invalid params for ${method}: ${path}: ${issue.message}`);
}
