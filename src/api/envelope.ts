import { z } from 'zod';

/** The one REST error envelope, as a schema for route documentation. */
export const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.string().describe('Stable code, see docs/errors.md'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      hint: z.string().optional(),
    }),
  })
  .describe('Error');

/** Error responses every guarded route can give. */
export const GUARDED_ERRORS = { 400: ErrorEnvelope, 401: ErrorEnvelope, 403: ErrorEnvelope, 429: ErrorEnvelope } as const;

/** The paginated list envelope. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), page_size: z.number().int(), pages: z.number().int() });
}
