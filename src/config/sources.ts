import { isPlainObject, issueAt, jsonTypeOf, type ConfigIssue, type PathSegment } from './issues.js';

/** One server entry found in the document, before validation. */
export interface RawEntry {
  name: string;
  /** Where the entry object is, e.g. `['mcpServers', 'github']` or `['mcpServers', 3]`. */
  path: PathSegment[];
  /** Where its name is written: the key itself (object forms) or the `name` field (array form). */
  namePath: PathSegment[];
  value: unknown;
}

function fromObject(section: unknown, path: PathSegment[], issues: ConfigIssue[], expected = 'object'): RawEntry[] {
  if (!isPlainObject(section)) {
    issues.push(issueAt(path, `expected ${expected}, got ${jsonTypeOf(section)}`));
    return [];
  }
  return Object.entries(section).map(([name, value]) => ({ name, path: [...path, name], namePath: [...path, name], value }));
}

/** MCPProxy's form: `"mcpServers": [ { "name": ..., ... } ]`. */
function fromArray(section: unknown[], path: PathSegment[], issues: ConfigIssue[]): RawEntry[] {
  const entries: RawEntry[] = [];
  section.forEach((value, i) => {
    const at = [...path, i];
    if (!isPlainObject(value)) return void issues.push(issueAt(at, `expected object, got ${jsonTypeOf(value)}`));
    const name = value['name'];
    if (typeof name !== 'string') {
      const problem = name === undefined ? 'missing; every entry of the array form needs a name' : `expected string, got ${jsonTypeOf(name)}`;
      return void issues.push(issueAt([...at, 'name'], problem));
    }
    entries.push({ name, path: at, namePath: [...at, 'name'], value });
  });
  return entries;
}

function fromSection(key: string, section: unknown, issues: ConfigIssue[]): RawEntry[] {
  if (key === 'mcpServers' && Array.isArray(section)) return fromArray(section, [key], issues);
  if (key === 'mcpServers') return fromObject(section, [key], issues, 'object or array');
  if (key === 'servers') return fromObject(section, [key], issues);
  if (!isPlainObject(section)) {
    issues.push(issueAt([key], `expected object, got ${jsonTypeOf(section)}`));
    return [];
  }
  return section['servers'] === undefined ? [] : fromObject(section['servers'], [key, 'servers'], issues);
}

/** The top-level keys that hold servers: Claude Desktop / Cursor / MCPProxy, VS Code `.vscode/mcp.json`, VS Code settings. */
export const SERVER_SECTIONS = ['mcpServers', 'servers', 'mcp'] as const;

/**
 * Every server entry of the document, from all sections, in file order (sections in the order they
 * appear, entries in order within each). Structural problems with a section are added to `issues`.
 */
export function collectEntries(doc: Record<string, unknown>, issues: ConfigIssue[]): RawEntry[] {
  const sections: readonly string[] = SERVER_SECTIONS;
  return Object.keys(doc)
    .filter((key) => sections.includes(key))
    .flatMap((key) => fromSection(key, doc[key], issues));
}
