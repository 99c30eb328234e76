/**
 * What a tool source (an upstream connection today, a hosted server later) contributes to the catalog.
 * Items are the upstream's raw JSON objects: everything is kept, only names and URIs are rewritten.
 */
export type RawItem = Record<string, unknown>;

export interface SourceListing {
  tools: RawItem[];
  resources: RawItem[];
  resourceTemplates: RawItem[];
  prompts: RawItem[];
}

export const EMPTY_LISTING: SourceListing = Object.freeze({ tools: [], resources: [], resourceTemplates: [], prompts: [] }) as SourceListing;

export type ListKind = 'tools' | 'resources' | 'prompts';
