/**
 * Renders the web console's typed API client surface (web/src/api/schema.gen.ts) from the OpenAPI
 * document a gateway serves at /docs/json; `--check` fails when the committed file is out of date.
 *
 * A small JSON Schema → TypeScript renderer rather than openapi-typescript: that tool drives the
 * TypeScript 5 compiler API, which the TypeScript 7 toolchain of this repository does not offer, and
 * the zod-generated document only uses a small, inline subset of JSON Schema.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';

type Schema = Record<string, any> | boolean;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

export const TYPES_FILE = new URL('../web/src/api/schema.gen.ts', import.meta.url);

/** The OpenAPI document of a gateway with an empty configuration (the routes do not depend on it). */
export async function fetchOpenApiDocument(): Promise<any> {
  const { serveSwitchboard } = await import('../src/main.js');
  const { defaultConfig } = await import('../src/config/defaults.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-openapi-'));
  const sb = await serveSwitchboard({ config: { ...defaultConfig(), servers: [] }, dataDir, host: '127.0.0.1', port: 0, env: {}, pingIntervalMs: 0, logger: pino({ level: 'silent' }) });
  try {
    const res = await fetch(`${sb.url}/docs/json`);
    if (!res.ok) throw new Error(`GET /docs/json answered ${res.status}`);
    return await res.json();
  } finally {
    await sb.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript type of a JSON schema, indented for its nesting depth. */
export function renderSchema(schema: Schema | undefined, depth = 0): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if (schema['const'] !== undefined) return JSON.stringify(schema['const']);
  if (Array.isArray(schema['enum'])) return schema['enum'].map((v: unknown) => JSON.stringify(v)).join(' | ') || 'never';
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) return union(schema[key].map((s: Schema) => renderSchema(s, depth)));
  }
  if (Array.isArray(schema['allOf'])) return schema['allOf'].map((s: Schema) => parenthesise(renderSchema(s, depth))).join(' & ');
  const type = schema['type'];
  if (Array.isArray(type)) return union(type.map((t: string) => renderSchema({ ...schema, type: t }, depth)));
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(schema['prefixItems'])) return `[${schema['prefixItems'].map((s: Schema) => renderSchema(s, depth)).join(', ')}]`;
      return `${parenthesise(renderSchema(schema['items'], depth))}[]`;
    }
    case 'object':
      return renderObject(schema, depth);
    default:
      return schema['properties'] ? renderObject(schema, depth) : 'unknown';
  }
}

function renderObject(schema: Record<string, any>, depth: number): string {
  const props = Object.entries<Schema>(schema['properties'] ?? {});
  const required = new Set<string>(schema['required'] ?? []);
  const extra = schema['additionalProperties'];
  if (props.length === 0) {
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${extra === undefined || extra === true ? 'unknown' : renderSchema(extra, depth)}>`;
  }
  const pad = '  '.repeat(depth + 1);
  const lines = props.map(([name, s]) => `${doc(s, pad)}${pad}${propertyName(name)}${required.has(name) ? '' : '?'}: ${renderSchema(s, depth + 1)};`);
  if (extra !== undefined && extra !== false) lines.push(`${pad}[key: string]: ${extra === true ? 'unknown' : renderSchema(extra, depth + 1)};`);
  return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
}

function doc(schema: Schema, pad: string): string {
  const text = typeof schema === 'object' ? schema['description'] : undefined;
  return typeof text === 'string' && text !== '' ? `${pad}/** ${text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ')} */\n` : '';
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  return unique.length === 0 ? 'never' : unique.map(parenthesise).join(' | ');
}

/** Wrap a type in parentheses when it has a top-level `|` or `&` (so `T[]` and `A | B` nest correctly). */
function parenthesise(type: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '(' || c === '[' || c === '<') depth++;
    else if (c === '}' || c === ')' || c === ']' || c === '>') depth--;
    else if (depth === 0 && (c === '|' || c === '&')) return `(${type})`;
  }
  return type;
}

/** Parameters of one location (path or query) as an object type; undefined when there are none. */
function renderParameters(params: any[], where: 'path' | 'query', depth: number): { type: string; optional: boolean } | undefined {
  const own = params.filter((p) => p.in === where);
  if (own.length === 0) return undefined;
  const schema = { type: 'object', properties: Object.fromEntries(own.map((p) => [p.name, { ...p.schema, description: p.description ?? p.schema?.description }])), required: own.filter((p) => p.required).map((p) => p.name), additionalProperties: false };
  return { type: renderSchema(schema, depth), optional: !own.some((p) => p.required) };
}

/** The success answer: JSON 2xx bodies as their type, other media types as text, empty bodies as void. */
function renderResponse(responses: Record<string, any>, depth: number): string {
  const ok = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
  if (ok.length === 0) return 'unknown';
  return union(
    ok.map(([, r]) => {
      const content = r.content ?? {};
      if (content['application/json']) return renderSchema(content['application/json'].schema, depth);
      return Object.keys(content).length > 0 ? 'string' : 'void';
    }),
  );
}

/** The whole generated module: `Paths`, keyed by path and method, with path/query/body/response types. */
export function renderApiTypes(document: any): string {
  const out: string[] = [
    '// Generated from the gateway\'s OpenAPI document (/docs/json) by scripts/web-api-types.ts. Do not edit:',
    '// run `npm run web:types` after changing a route. A test fails when this file is out of date.',
    '',
    '/** Every REST operation: path → method → { path?, query?, body?, response }. */',
    'export interface Paths {',
  ];
  for (const path of Object.keys(document.paths ?? {}).sort()) {
    const item = document.paths[path];
    const ops = METHODS.filter((m) => item[m]);
    if (ops.length === 0) continue;
    out.push(`  ${JSON.stringify(path)}: {`);
    for (const method of ops) {
      const op = item[method];
      const fields: string[] = [];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const pathParams = renderParameters(params, 'path', 3);
      if (pathParams) fields.push(`      path: ${pathParams.type};`);
      const query = renderParameters(params, 'query', 3);
      if (query) fields.push(`      query${query.optional ? '?' : ''}: ${query.type};`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) fields.push(`      body${op.requestBody.required ? '' : '?'}: ${renderSchema(body, 3)};`);
      fields.push(`      response: ${renderResponse(op.responses ?? {}, 3)};`);
      const scope = op['x-required-scope'];
      const summary = [op.summary ? String(op.summary).replace(/([^.!?])$/, '$1.') : '', scope ? `Scope: ${scope}.` : ''].filter(Boolean).join(' ');
      if (summary) out.push(`    /** ${summary.replace(/\*\//g, '*\\/')} */`);
      out.push(`    ${method}: {`, ...fields, '    };');
    }
    out.push('  };');
  }
  out.push('}', '');
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = renderApiTypes(await fetchOpenApiDocument());
  if (process.argv.includes('--check')) {
    if (readFileSync(TYPES_FILE, 'utf8') !== text) {
      console.error('web/src/api/schema.gen.ts is out of date: run npm run web:types');
      process.exit(1);
    }
  } else writeFileSync(TYPES_FILE, text);
}
