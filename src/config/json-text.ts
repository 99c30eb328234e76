import { SwitchboardError } from '../shared/index.js';
import type { PathSegment } from './issues.js';

/** A parsed document plus the object keys that appeared more than once (JSON.parse keeps the last). */
export interface JsonDocument {
  value: unknown;
  /** Full paths (ending in the repeated key) of every repeated key, in text order. */
  duplicateKeys: PathSegment[][];
}

interface SyntaxProblem {
  offset: number;
  message: string;
}

const MAX_DEPTH = 1000;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * A small JSON scanner that runs beside JSON.parse: it locates syntax errors precisely (V8's messages
 * do not always carry a position) and records repeated object keys. It builds no values.
 */
class JsonScanner {
  private pos = 0;
  readonly duplicates: PathSegment[][] = [];
  constructor(private readonly text: string) {}

  /** Scan the whole text; throws a SyntaxProblem at the first error. */
  scan(): void {
    this.skipWs();
    this.value([], 0);
    this.skipWs();
    if (this.pos < this.text.length) this.fail('unexpected content after the JSON value');
  }

  private fail(message: string): never {
    const atEnd = this.pos >= this.text.length;
    throw { offset: this.pos, message: atEnd ? `unexpected end of input (${message})` : message } satisfies SyntaxProblem;
  }

  private skipWs(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  private expect(ch: string, message: string): void {
    if (this.text[this.pos] !== ch) this.fail(message);
    this.pos++;
  }

  private value(path: PathSegment[], depth: number): void {
    if (depth > MAX_DEPTH) this.fail('nesting too deep');
    const c = this.text[this.pos];
    if (c === '{') return this.object(path, depth);
    if (c === '[') return this.array(path, depth);
    if (c === '"') return void this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) return void (this.pos += literal.length);
    }
    this.fail(c === undefined ? 'expected a value' : `unexpected character ${JSON.stringify(c)}, expected a value`);
  }

  private object(path: PathSegment[], depth: number): void {
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === '}') return void this.pos++;
    const seen = new Set<string>();
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('expected a double-quoted property name');
      const key = this.string();
      if (seen.has(key)) this.duplicates.push([...path, key]);
      seen.add(key);
      this.skipWs();
      this.expect(':', "expected ':' after property name");
      this.skipWs();
      this.value([...path, key], depth + 1);
      this.skipWs();
      if (this.text[this.pos] !== ',') return this.expect('}', "expected ',' or '}' after property value");
      this.pos++;
      this.skipWs();
    }
  }

  private array(path: PathSegment[], depth: number): void {
    this.pos++;
    this.skipWs();
    if (this.text[this.pos] === ']') return void this.pos++;
    for (let i = 0; ; i++) {
      this.value([...path, i], depth + 1);
      this.skipWs();
      if (this.text[this.pos] !== ',') return this.expect(']', "expected ',' or ']' after array element");
      this.pos++;
      this.skipWs();
    }
  }

  /** Scan a string literal at the cursor and return its decoded value. */
  private string(): string {
    const start = this.pos;
    STRING_BODY.lastIndex = ++this.pos;
    STRING_BODY.exec(this.text);
    this.pos = STRING_BODY.lastIndex;
    if (this.text[this.pos] !== '"') this.fail(this.pos < this.text.length ? 'invalid character or escape in string' : 'unterminated string');
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): void {
    NUMBER.lastIndex = this.pos;
    if (!NUMBER.exec(this.text)) this.fail('invalid number');
    this.pos = NUMBER.lastIndex;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function scan(text: string): { problem?: SyntaxProblem; duplicates: PathSegment[][] } {
  const scanner = new JsonScanner(text);
  try {
    scanner.scan();
    return { duplicates: scanner.duplicates };
  } catch (err) {
    if (err instanceof Error) return { problem: { offset: -1, message: err.message }, duplicates: [] };
    return { problem: err as SyntaxProblem, duplicates: [] };
  }
}

function unreadable(text: string, parseError: unknown, source: string | undefined): SwitchboardError {
  const where = source ? ` in ${source}` : '';
  const { problem } = scan(text);
  if (!problem || problem.offset < 0) {
    const reason = parseError instanceof Error ? parseError.message : String(parseError);
    return new SwitchboardError('SWB_CONFIG_UNREADABLE', `Invalid JSON${where}: ${reason}`, source ? { file: source } : undefined);
  }
  const { line, column } = lineColumn(text, problem.offset);
  const message = `Invalid JSON${where} at line ${line}, column ${column}: ${problem.message}`;
  return new SwitchboardError('SWB_CONFIG_UNREADABLE', message, { line, column, ...(source ? { file: source } : {}) });
}

/**
 * Parse JSON text (a leading byte-order mark is ignored). Throws SWB_CONFIG_UNREADABLE naming the line
 * and column of a syntax error; `source` (a file path) is named in the message when given.
 */
export function parseJsonText(text: string, source?: string): JsonDocument {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw unreadable(body, err, source);
  }
  const { problem, duplicates } = scan(body);
  return { value, duplicateKeys: problem ? [] : duplicates };
}
