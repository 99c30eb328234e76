import { createHash } from 'node:crypto';
import type { RawItem } from '../shared/index.js';

/** What can be pinned: a tool or a prompt of one upstream. */
export type PinKind = 'tool' | 'prompt';

/**
 * The parts of a definition that decide what a model is told and what it sends: for a tool its name,
 * title, description, input and output schema and annotations; for a prompt its name, title,
 * description and arguments. Anything else (`_meta`, icons) may change freely.
 */
export type PinnedDefinition = Record<string, unknown>;

const TOOL_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
const PROMPT_FIELDS = ['name', 'title', 'description', 'arguments'] as const;

/** The pinned fields of an upstream's raw definition (absent fields stay absent). */
export function pinnedDefinition(kind: PinKind, item: RawItem): PinnedDefinition {
  const out: PinnedDefinition = {};
  for (const f of kind === 'tool' ? TOOL_FIELDS : PROMPT_FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out;
}

/** JSON with object keys sorted at every level, so equal definitions give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** `sha256:<hex>` of the canonical JSON of a pinned definition. */
export function fingerprint(def: PinnedDefinition): string {
  return `sha256:${createHash('sha256').update(canonicalJson(def)).digest('hex')}`;
}
