import { z } from 'zod';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT } from '../../admin/index.js';
import { guard, principalOf, SECURED, type ApiApp, type ApiDeps } from '../api-app.js';
import { ErrorEnvelope, GUARDED_ERRORS } from '../envelope.js';

/** Tool search over the catalogue, through the caller's policy gate (the same answer /mcp/search gives). */

const TAG = 'tools';

const SearchQuery = z.object({
  q: z.string().min(1).max(500).describe('What the tool should do, in plain words or keywords'),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(DEFAULT_SEARCH_LIMIT).describe(`At most this many results (default ${DEFAULT_SEARCH_LIMIT})`),
});

export const ToolSearchHit = z.object({
  name: z.string().describe('Exposed name: what tools/call takes'),
  server: z.string(),
  original_name: z.string().describe("The upstream's own name"),
  title: z.string().nullable(),
  description: z.string().nullable().describe('Shortened past 500 characters'),
  score: z.number().describe('Relevance, comparable within one answer'),
  annotations: z.record(z.string(), z.unknown()).nullable(),
});

const SearchResult = z.object({ query: z.string(), limit: z.number().int(), results: z.array(ToolSearchHit) });

export function searchRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/api/tools/search',
    {
      // Seeing tools takes the scope calling them does (the policy gate's rule), so search does too.
      preHandler: guard(deps, 'execute'),
      schema: {
        tags: [TAG],
        summary: 'Search tools by what they do (BM25 with stemming, synonyms and typo tolerance); only tools the caller may use',
        security: SECURED,
        querystring: SearchQuery,
        response: { 200: SearchResult, ...GUARDED_ERRORS, 422: ErrorEnvelope },
      },
    },
    async (req) => deps.admin.search.search(principalOf(req), req.query.q, req.query.limit),
  );
}
