import { z } from 'zod';
import type { Catalog } from '../catalog/index.js';
import { decide } from '../policy/index.js';
import { SwitchboardError, type RawItem, type ToolSearch } from '../shared/index.js';
import { toolErrorResult } from './errors.js';
import type { GatedRequests, RequestLink } from './gated-requests.js';

const MAX_DESCRIBE = 10;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

/** The three tools `/mcp/search` lists instead of the catalogue. */
export const SEARCH_MODE_TOOLS: RawItem[] = [
  {
    name: 'search_tools',
    title: 'Search tools',
    description:
      'Find tools by what you want to do, in plain words ("create a GitHub issue", "read a file"). Returns the best matches with their names and short descriptions; use describe_tools for their input schemas and call_tool to run one.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What you want to do, in natural language or keywords' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `How many tools to return (default ${DEFAULT_LIMIT})` },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'describe_tools',
    title: 'Describe tools',
    description: `Full definitions (description, input schema, annotations) of up to ${MAX_DESCRIBE} tools by name, as search_tools returned them.`,
    inputSchema: {
      type: 'object',
      properties: { names: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_DESCRIBE, description: 'Tool names from search_tools' } },
      required: ['names'],
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'call_tool',
    title: 'Call a tool',
    description: 'Run a tool found with search_tools. `arguments` must match the input schema describe_tools shows; an object or a JSON string of one.',
    inputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'The tool name' },
        arguments: { description: "The tool's arguments: an object, or a JSON string of one", anyOf: [{ type: 'object' }, { type: 'string' }] },
      },
      required: ['name'],
    },
  },
];

const SearchArgs = z.object({ query: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(MAX_LIMIT).optional() });
const DescribeArgs = z.object({ names: z.array(z.string().min(1)).min(1).max(MAX_DESCRIBE) });
const CallArgs = z.object({ name: z.string().min(1), arguments: z.union([z.record(z.string(), z.unknown()), z.string()]).optional() });

const text = (value: unknown): RawItem => ({ content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
const badArgument = (message: string) => toolErrorResult(new SwitchboardError('SWB_INVALID_ARGUMENT', message));

type Parsed<T> = { ok: true; value: T } | { ok: false; error: RawItem };

function parse<T extends z.ZodType>(schema: T, args: unknown, tool: string): Parsed<z.infer<T>> {
  const r = schema.safeParse(args ?? {});
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  return { ok: false, error: badArgument(`${tool}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`) };
}

/**
 * The progressive mode: search, describe and call through three meta-tools. What they find, show and
 * run is decided by the same gate as /mcp (search and describe only see what tools/list would list;
 * call_tool is the same recipe as tools/call, with its validation and activity record).
 */
export class SearchExposure {
  private readonly listed: RawItem = { tools: SEARCH_MODE_TOOLS };

  constructor(
    private readonly catalog: Catalog,
    private readonly gated: GatedRequests,
    private readonly search: ToolSearch | undefined,
  ) {}

  list(): RawItem {
    return this.listed;
  }

  async call(link: RequestLink, p: { name: string; arguments?: Record<string, unknown> } & RawItem): Promise<RawItem> {
    switch (p.name) {
      case 'search_tools': {
        const parsed = parse(SearchArgs, p.arguments, p.name);
        if (!parsed.ok) return parsed.error;
        const a = parsed.value;
        if (!this.search) return toolErrorResult(new SwitchboardError('SWB_UPSTREAM_UNAVAILABLE', 'Tool search is not available on this gateway'));
        const hits = this.search(link.caller, a.query, a.limit ?? DEFAULT_LIMIT);
        return text({ tools: hits.map((h) => ({ name: h.name, title: h.title, description: h.description, server: h.server })) });
      }
      case 'describe_tools': {
        const parsed = parse(DescribeArgs, p.arguments, p.name);
        if (!parsed.ok) return parsed.error;
        const a = parsed.value;
        const byName = this.catalog.snapshot().toolsByName;
        const tools: RawItem[] = [];
        const unknown: string[] = [];
        for (const name of a.names) {
          const e = byName.get(name);
          if (e && decide(link.caller, 'list', { kind: 'tool', server: e.server, name: e.exposed, original: e.original }).allowed) tools.push(e.item);
          else unknown.push(name);
        }
        return text({ tools, unknown });
      }
      case 'call_tool': {
        const parsed = parse(CallArgs, p.arguments, p.name);
        if (!parsed.ok) return parsed.error;
        const a = parsed.value;
        let args = a.arguments;
        if (typeof args === 'string') {
          try {
            args = args.trim() === '' ? {} : (JSON.parse(args) as Record<string, unknown>);
          } catch (err) {
            return badArgument(`call_tool: arguments: not valid JSON (${(err as Error).message})`);
          }
          if (typeof args !== 'object' || args === null || Array.isArray(args)) return badArgument('call_tool: arguments: the JSON must be an object');
        }
        try {
          return await this.gated.callTool(link, { name: a.name, ...(args ? { arguments: args } : {}), ...(p['_meta'] ? { _meta: p['_meta'] } : {}) }, 'result');
        } catch (err) {
          if (err instanceof SwitchboardError) return toolErrorResult(err);
          throw err;
        }
      }
      default:
        throw new SwitchboardError('SWB_TOOL_NOT_FOUND', `Unknown tool: ${p.name}`, { name: p.name });
    }
  }
}
