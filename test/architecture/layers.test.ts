/**
 * Re-derives the layering rules of the architecture (shared/design/ARCHITECTURE.md) from the imports
 * in src/, so they cannot drift silently. Every failure names the file, the import and the rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Layer of each module: a folder under src/, or a top-level file (version.ts, main.ts).
 * L3 (admin/) and several L1/L2/L4 modules do not exist yet; they are listed so that they land in the
 * right place when they do.
 */
const LAYERS: Record<string, number> = {
  shared: 0,
  version: 0,
  config: 1,
  store: 1,
  events: 1,
  sandbox: 1,
  upstream: 2,
  catalog: 2,
  auth: 2,
  secrets: 2,
  policy: 2,
  activity: 2,
  search: 2,
  trust: 2,
  hosted: 2,
  admin: 3,
  gateway: 4,
  http: 4,
  api: 4,
  'mcp-admin': 4,
  main: 5,
  cli: 5,
};

/** Same-layer imports that the architecture allows on purpose. */
const ALLOWED_SIDEWAYS = new Set(['hosted->sandbox']);

/** Each third-party library has one home: package (or package prefix) → modules that may import it. */
const HOMES: { pkg: RegExp; label: string; modules: string[] }[] = [
  { pkg: /^kysely($|\/)/, label: 'kysely', modules: ['store'] },
  { pkg: /^better-sqlite3($|\/)/, label: 'better-sqlite3', modules: ['store'] },
  { pkg: /^pg($|\/)/, label: 'pg', modules: ['store'] },
  { pkg: /^@modelcontextprotocol\/client($|\/)/, label: '@modelcontextprotocol/client', modules: ['upstream'] },
  { pkg: /^@modelcontextprotocol\/server($|\/)/, label: '@modelcontextprotocol/server', modules: ['gateway'] },
  { pkg: /^@modelcontextprotocol\/node($|\/)/, label: '@modelcontextprotocol/node', modules: ['gateway'] },
  { pkg: /^(fastify|@fastify\/)/, label: 'fastify', modules: ['http', 'api'] },
  { pkg: /^(node:)?child_process$/, label: 'child_process', modules: ['upstream', 'sandbox'] },
];

interface Import {
  specifier: string;
  line: number;
}

/**
 * The module specifiers a TypeScript source imports or re-exports: `import … from`, `import type …`,
 * `export … from`, bare `import '…'` and `import('…')`. Static forms count only at the start of a line
 * (where TypeScript puts them), so examples inside comments and strings are not mistaken for imports.
 */
function parseImports(source: string): Import[] {
  const found: Import[] = [];
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  const statics = /^[ \t]*(?:import|export)[ \t]+(?:type[ \t]+)?(?:[^'"`;]*?[\s}*]from[ \t]*)?(['"])([^'"\n]+)\1/gm;
  for (const m of source.matchAll(statics)) found.push({ specifier: m[2]!, line: lineAt(m.index!) });
  const dynamics = /\bimport\(\s*(['"])([^'"\n]+)\1\s*\)/g;
  for (const m of source.matchAll(dynamics)) found.push({ specifier: m[2]!, line: lineAt(m.index!) });
  return found.sort((a, b) => a.line - b.line);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** `config` for src/config/…, `main` for src/main.ts. */
function moduleOf(absPath: string): string {
  const rel = relative(SRC, absPath).split(sep);
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

/** Modules that are a single file at the top of src/ rather than a folder. */
const FILE_MODULES = new Set(['version', 'main']);

/** The one file other modules may import from a module. */
function entryOf(module: string): string {
  return FILE_MODULES.has(module) ? join(SRC, `${module}.ts`) : join(SRC, module, 'index.ts');
}

interface Edge {
  file: string; // relative to the repo root
  line: number;
  specifier: string;
  from: string;
  /** Resolved target inside src/ (absolute), for relative imports. */
  target?: string;
  to?: string;
}

const FILES = sourceFiles(SRC);
const EDGES: Edge[] = FILES.flatMap((file) =>
  parseImports(readFileSync(file, 'utf8')).map(({ specifier, line }) => {
    const edge: Edge = { file: relative(resolve(SRC, '..'), file), line, specifier, from: moduleOf(file) };
    if (specifier.startsWith('.')) {
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      edge.target = target;
      if (target.startsWith(SRC)) edge.to = moduleOf(target);
    }
    return edge;
  }),
);
const CROSS = EDGES.filter((e) => e.to !== undefined && e.to !== e.from);

/** The rules, one predicate each: true when the import breaks it. */
const RULES = {
  notDownward(e: Edge): boolean {
    const from = LAYERS[e.from];
    const to = LAYERS[e.to!];
    if (from === undefined || to === undefined) return false; // reported as a module without a layer
    if (from === 5) return false;
    if (ALLOWED_SIDEWAYS.has(`${e.from}->${e.to}`)) return false;
    return to >= from;
  },
  fromL0(e: Edge): boolean {
    return LAYERS[e.from] === 0;
  },
  bypassesIndex(e: Edge): boolean {
    return e.target !== entryOf(e.to!);
  },
  catalogOnSource(e: Edge): boolean {
    return e.from === 'catalog' && (e.to === 'upstream' || e.to === 'hosted');
  },
  outsideHome(e: Edge, home: (typeof HOMES)[number]): boolean {
    return e.to === undefined && !e.specifier.startsWith('.') && home.pkg.test(e.specifier) && !home.modules.includes(e.from);
  },
};

function where(e: Edge): string {
  return `${e.file}:${e.line}: import '${e.specifier}'`;
}

function assertNone(violations: string[], rule: string): void {
  assert.equal(violations.length, 0, `${rule}\n  ${violations.join('\n  ')}`);
}

describe('architecture: the import parser', () => {
  test('finds every import form and ignores look-alikes in comments', () => {
    const src = [
      "import a from './a.js';",
      "import type { B } from '../b/index.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from '@scope/pkg/sub';",
      "import * as e from 'node:fs';",
      "import './side-effect.js';",
      "export { f } from './f.js';",
      "export * from './g.js';",
      "export type { H } from './h.js';",
      "const i = await import('./lazy.js');",
      "// import nope from './commented.js';",
      "/** import nope from './doc.js' */",
      " * import nope from './jsdoc.js';",
      "export const notAnImport = 'from ./x.js';",
      'export interface Shape { from: string }',
    ].join('\n');
    assert.deepEqual(
      parseImports(src).map((i) => [i.line, i.specifier]),
      [
        [1, './a.js'],
        [2, '../b/index.js'],
        [3, '@scope/pkg/sub'],
        [7, 'node:fs'],
        [8, './side-effect.js'],
        [9, './f.js'],
        [10, './g.js'],
        [11, './h.js'],
        [12, './lazy.js'],
      ],
    );
  });

  test('the rules catch known-bad imports and pass known-good ones', () => {
    const edge = (from: string, to: string, file = 'index.ts'): Edge => ({ file: `src/${from}/x.ts`, line: 1, specifier: `../${to}/${file.replace(/\.ts$/, '.js')}`, from, to, target: FILE_MODULES.has(to) ? join(SRC, `${to}.ts`) : join(SRC, to, file) });
    const pkg = (from: string, specifier: string): Edge => ({ file: `src/${from}/x.ts`, line: 1, specifier, from });
    const home = (label: string) => HOMES.find((h) => h.label === label)!;
    const cases: [string, boolean, boolean][] = [
      // [description, rule result, expected]
      ['catalog → upstream is sideways', RULES.notDownward(edge('catalog', 'upstream')), true],
      ['catalog → upstream is a source dependency', RULES.catalogOnSource(edge('catalog', 'upstream')), true],
      ['gateway → http is sideways', RULES.notDownward(edge('gateway', 'http')), true],
      ['config → store is sideways', RULES.notDownward(edge('config', 'store')), true],
      ['store → upstream goes up', RULES.notDownward(edge('store', 'upstream')), true],
      ['hosted → sandbox is allowed', RULES.notDownward(edge('hosted', 'sandbox')), false],
      ['upstream → config is downward', RULES.notDownward(edge('upstream', 'config')), false],
      ['gateway → upstream is downward', RULES.notDownward(edge('gateway', 'upstream')), false],
      ['cli → main is allowed (L5)', RULES.notDownward(edge('cli', 'main')), false],
      ['shared → version is an L0 import', RULES.fromL0(edge('shared', 'version')), true],
      ['cli → gateway/gateway.ts bypasses the index', RULES.bypassesIndex(edge('cli', 'gateway', 'gateway.ts')), true],
      ['cli → gateway/index.ts goes through it', RULES.bypassesIndex(edge('cli', 'gateway')), false],
      ['main → version.ts is the module itself', RULES.bypassesIndex(edge('main', 'version')), false],
      ['gateway importing the SDK client', RULES.outsideHome(pkg('gateway', '@modelcontextprotocol/client'), home('@modelcontextprotocol/client')), true],
      ['upstream importing the SDK client stdio', RULES.outsideHome(pkg('upstream', '@modelcontextprotocol/client/stdio'), home('@modelcontextprotocol/client')), false],
      ['cli importing the SDK server', RULES.outsideHome(pkg('cli', '@modelcontextprotocol/server/stdio'), home('@modelcontextprotocol/server')), true],
      ['cli importing fastify', RULES.outsideHome(pkg('cli', 'fastify'), home('fastify')), true],
      ['catalog importing kysely', RULES.outsideHome(pkg('catalog', 'kysely'), home('kysely')), true],
      ['catalog spawning processes', RULES.outsideHome(pkg('catalog', 'node:child_process'), home('child_process')), true],
    ];
    for (const [what, got, want] of cases) assert.equal(got, want, what);
  });

  test('sees the real import graph (sanity: known edges are found)', () => {
    assert.ok(FILES.length > 20, `${FILES.length} source files`);
    const has = (file: string, spec: string) => EDGES.some((e) => e.file === file && e.specifier === spec);
    assert.ok(has('src/main.ts', './gateway/index.js'));
    assert.ok(has('src/upstream/connection.ts', '@modelcontextprotocol/client'));
    assert.ok(has('src/store/store.ts', 'kysely'));
  });
});

describe('architecture: layers', () => {
  test('every module under src/ has a layer', () => {
    const unknown = [...new Set(FILES.map(moduleOf))].filter((m) => !(m in LAYERS));
    assertNone(unknown.map((m) => `src/${m}: add it to LAYERS in this test (and to ARCHITECTURE.md)`), 'Modules without a layer:');
  });

  test('relative imports stay inside src/ and resolve to a file', () => {
    const bad = EDGES.filter((e) => e.target !== undefined && (!e.target.startsWith(SRC) || !existsSync(e.target)));
    assertNone(bad.map((e) => `${where(e)} (${e.target!.startsWith(SRC) ? 'no such file' : 'outside src/'})`), 'Bad relative imports:');
  });

  test('imports go only downward (L5 main/cli may import anything; hosted → sandbox is the one sideways import)', () => {
    const bad = CROSS.filter(RULES.notDownward);
    assertNone(bad.map((e) => `${where(e)} (${e.from} is L${LAYERS[e.from]}, ${e.to} is L${LAYERS[e.to!]})`), 'Imports that are not strictly downward:');
  });

  test('shared/ and version.ts (L0) import no other src module', () => {
    const bad = CROSS.filter(RULES.fromL0);
    assertNone(bad.map(where), 'L0 imports another module:');
  });

  test('cross-module imports go through the module index.ts', () => {
    const bad = CROSS.filter(RULES.bypassesIndex);
    assertNone(bad.map((e) => `${where(e)} (use '${relative(dirname(resolve(SRC, '..', e.file)), entryOf(e.to!)).replace(/\.ts$/, '.js').replace(/^(?!\.)/, './')}')`), 'Imports that bypass a module index.ts:');
  });

  test('catalog/ never imports upstream/ or hosted/ (sources register through ToolSource)', () => {
    const bad = CROSS.filter(RULES.catalogOnSource);
    assertNone(bad.map(where), 'catalog/ depends on a tool source implementation:');
  });
});

describe('architecture: third-party homes', () => {
  for (const home of HOMES) {
    test(`${home.label} is imported only in ${home.modules.map((m) => `src/${m}`).join(', ')}`, () => {
      const bad = EDGES.filter((e) => RULES.outsideHome(e, home));
      assertNone(bad.map(where), `${home.label} imported outside its home:`);
    });
  }
});
