// JavaScript tools inside the sandbox process: QuickJS compiled to WebAssembly, a fresh runtime and
// context per call. Plain JavaScript like runner.mjs (it runs under the same permission model).
//
// Nothing of the host crosses into the QuickJS context: the tool sees two host functions only through
// the prelude's closure (print and http), and both take and return strings. Arguments and secrets go in
// as JSON text and are parsed inside; the result comes out as JSON text built inside.

/** Load the QuickJS WebAssembly module (once per process, at boot, before any tool code). */
export async function loadQuickJS(coreDir, variantDir) {
  const { newQuickJSWASMModuleFromVariant } = await import(new URL(`file://${coreDir}/dist/index.mjs`).href);
  const variant = (await import(new URL(`file://${variantDir}/dist/index.mjs`).href)).default;
  return newQuickJSWASMModuleFromVariant(variant);
}

// Runs in the fresh context before the tool's module; returns the function that calls `main`.
const PRELUDE = String.raw`(function (hostPrint, hostHttp, argumentsJson, secretsJson) {
  'use strict';
  const deepFreeze = (v) => {
    if (v && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const k of Object.keys(v)) deepFreeze(v[k]);
    }
    return v;
  };
  const show = (v) => {
    if (typeof v === 'string') return v;
    if (v instanceof Error) return String(v);
    try {
      const s = JSON.stringify(v);
      return s === undefined ? String(v) : s;
    } catch (e) {
      return String(v);
    }
  };
  const log = (...parts) => { hostPrint(parts.map(show).join(' ') + '\n'); };
  class HttpError extends Error {
    constructor(message, code) { super(message); this.name = 'HttpError'; if (code) this.code = code; }
  }
  const strMap = (value, what) => {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(what + ' must be an object');
    const out = {};
    for (const k of Object.keys(value)) out[String(k)] = String(value[k]);
    return out;
  };
  const hasHeader = (headers, name) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  async function request(method, url, options) {
    const o = options || {};
    if (typeof url !== 'string' || typeof method !== 'string') throw new TypeError('method and url must be strings');
    const headers = strMap(o.headers, 'headers');
    if (o.params) {
      const p = strMap(o.params, 'params');
      const query = Object.keys(p).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(p[k])).join('&');
      if (query) url = url + (url.includes('?') ? '&' : '?') + query;
    }
    let body = null;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    } else if (o.data !== undefined && o.data !== null && typeof o.data === 'object') {
      const d = strMap(o.data, 'data');
      body = Object.keys(d).map((k) => encodeURIComponent(k) + '=' + encodeURIComponent(d[k])).join('&');
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (o.body !== undefined && o.body !== null) body = String(o.body);
    else if (o.data !== undefined && o.data !== null) body = String(o.data);
    const payload = { method: method.toUpperCase(), url, headers, body };
    if (o.timeout !== undefined) payload.timeoutMs = Math.round(Number(o.timeout) * 1000);
    const raw = JSON.parse(await hostHttp(JSON.stringify(payload)));
    if (!raw || !raw.ok) throw new HttpError(String((raw && raw.error && raw.error.message) || 'request failed'), raw && raw.error && raw.error.code);
    const text = typeof raw.text === 'string' ? raw.text : '';
    const response = {
      status_code: Number(raw.status) || 0,
      headers: deepFreeze(Object.assign({}, raw.headers || {})),
      text,
      url: String(raw.url || url),
      ok: Number(raw.status) >= 200 && Number(raw.status) < 400,
      json() { return JSON.parse(text); },
      raise_for_status() { if (!this.ok) throw new HttpError('HTTP ' + this.status_code + ' for ' + this.url); },
    };
    return Object.freeze(response);
  }
  const http = Object.freeze({
    HttpError,
    request: (method, url, options) => request(method, url, options),
    get: (url, options) => request('GET', url, options),
    post: (url, options) => request('POST', url, options),
    put: (url, options) => request('PUT', url, options),
    patch: (url, options) => request('PATCH', url, options),
    delete: (url, options) => request('DELETE', url, options),
  });
  const args = deepFreeze(JSON.parse(argumentsJson));
  const secrets = deepFreeze(JSON.parse(secretsJson));
  const logger = Object.freeze({ log, info: log, warn: log, error: log, debug: log });
  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: false, configurable: false, enumerable: false });
  define('http', http);
  define('secrets', secrets);
  define('arguments', args);
  define('console', logger);
  const describe = (e) => {
    if (e instanceof Error) {
      const where = String(e.stack || '').split('\n').filter((l) => l.includes('tool.js')).slice(0, 5).join('\n');
      return { name: e.name, message: String(e.message), where };
    }
    return { name: 'Error', message: 'thrown: ' + show(e), where: '' };
  };
  const finish = (value) => {
    let dumped;
    try {
      dumped = JSON.stringify(value === undefined ? null : value, (k, v) => (typeof v === 'bigint' ? String(v) : v));
    } catch (e) {
      return JSON.stringify({ failed: { name: 'TypeError', message: 'the result is not JSON-serialisable: ' + String(e && e.message), where: '' } });
    }
    if (dumped === undefined) dumped = 'null';
    const structured = value !== null && typeof value === 'object' && !Array.isArray(value);
    const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : dumped;
    return '{"done":{"value":' + dumped + ',"structured":' + structured + ',"text":' + JSON.stringify(text) + '}}';
  };
  return function invoke(main) {
    if (typeof main !== 'function') return Promise.resolve(JSON.stringify({ invalid: 'the tool defines no main() function (export default async function main(args) { ... })' }));
    return Promise.resolve()
      .then(() => main(args))
      .then(finish, (e) => JSON.stringify({ failed: describe(e) }));
  };
})`;

// Appended to the tool's module: the function to call, whether `main` is exported or only declared.
const EPILOGUE = "\n;export const __swb_main = typeof main === 'function' ? main : undefined;\n";

function errorKind(failed) {
  const text = `${failed.name}: ${failed.message}`;
  if (/out of memory/i.test(text)) return 'memory';
  if (/stack overflow/i.test(text)) return 'recursion';
  return 'exception';
}

function bounded(text, limit) {
  const s = String(text);
  if (Buffer.byteLength(s) <= limit) return s;
  return `${Buffer.from(s).subarray(0, Math.max(0, limit - 20)).toString('utf8')} …[truncated]`;
}

/**
 * Run one job: `{ code, arguments, secrets, limits }`. `host.print(text)` receives console output;
 * `host.http(json) → Promise<json>` performs a request through the host. Resolves with the same outcome
 * shape as the Python driver: `{ done: { value, structured, text } }` or `{ error: { kind, message } }`.
 */
export async function runJavaScript(QuickJS, job, host) {
  const limits = job.limits ?? {};
  const maxErrorBytes = Number(limits.maxErrorBytes) || 8192;
  const fail = (kind, message) => ({ error: { kind, message: bounded(message, maxErrorBytes) } });
  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit((Number(limits.memoryMb) || 256) * 1024 * 1024);
  rt.setMaxStackSize(512 * 1024);
  const ctx = rt.newContext();
  const handles = [];
  const keep = (h) => (handles.push(h), h);
  const pump = () => {
    if (ctx.alive) rt.executePendingJobs();
  };
  const settle = async (handle) => {
    const state = ctx.getPromiseState(handle);
    if (state.type === 'fulfilled' && state.notAPromise) return { value: handle };
    const native = ctx.resolvePromise(handle);
    pump();
    const result = await native;
    return result.error ? { error: keep(result.error) } : { value: keep(result.value) };
  };
  const describeHandle = (h) => {
    try {
      const d = ctx.dump(h);
      if (d && typeof d === 'object') return { name: String(d.name ?? 'Error'), message: String(d.message ?? JSON.stringify(d)), where: '' };
      return { name: 'Error', message: String(d), where: '' };
    } catch {
      return { name: 'Error', message: 'unprintable error', where: '' };
    }
  };
  try {
    const prelude = ctx.evalCode(PRELUDE, 'prelude.js', { type: 'global', strict: true });
    if (prelude.error) return fail('crashed', `the JavaScript prelude failed: ${describeHandle(keep(prelude.error)).message}`);
    keep(prelude.value);
    const print = keep(ctx.newFunction('print', (h) => void host.print(ctx.getString(h))));
    const http = keep(
      ctx.newFunction('http', (h) => {
        const payload = ctx.getString(h);
        const deferred = ctx.newPromise();
        host.http(payload).then((reply) => {
          if (!ctx.alive || !deferred.alive) return;
          const s = ctx.newString(reply);
          deferred.resolve(s);
          s.dispose();
          pump();
        });
        return deferred.handle;
      }),
    );
    const argsJson = keep(ctx.newString(JSON.stringify(job.arguments ?? {})));
    const secretsJson = keep(ctx.newString(JSON.stringify(job.secrets ?? {})));
    const invoke = ctx.callFunction(prelude.value, ctx.undefined, print, http, argsJson, secretsJson);
    if (invoke.error) return fail('crashed', `the JavaScript prelude failed: ${describeHandle(keep(invoke.error)).message}`);
    keep(invoke.value);

    const evaluated = ctx.evalCode(String(job.code) + EPILOGUE, 'tool.js', { type: 'module', strict: true });
    if (evaluated.error) {
      const d = describeHandle(keep(evaluated.error));
      const kind = d.name === 'SyntaxError' ? 'invalid_code' : errorKind(d);
      return fail(kind, `${d.name}: ${d.message}`);
    }
    const ns = await settle(keep(evaluated.value));
    if (ns.error) {
      const d = describeHandle(ns.error);
      return fail(errorKind(d), `${d.name}: ${d.message}`);
    }
    let main = keep(ctx.getProp(ns.value, '__swb_main'));
    if (ctx.typeof(main) !== 'function') main = keep(ctx.getProp(ns.value, 'default'));
    const started = ctx.callFunction(invoke.value, ctx.undefined, main);
    if (started.error) {
      const d = describeHandle(keep(started.error));
      return fail(errorKind(d), `${d.name}: ${d.message}`);
    }
    const settled = await settle(keep(started.value));
    if (settled.error) {
      const d = describeHandle(settled.error);
      return fail(errorKind(d), `${d.name}: ${d.message}`);
    }
    const reply = JSON.parse(ctx.getString(settled.value));
    if (reply.invalid) return fail('invalid_code', reply.invalid);
    if (reply.failed) {
      const f = reply.failed;
      return fail(errorKind(f), `${f.name}: ${f.message}${f.where ? `\n${f.where}` : ''}`);
    }
    const limit = Number(limits.maxResultBytes) || 1024 * 1024;
    if (Buffer.byteLength(JSON.stringify(reply.done.value)) > limit) return fail('output_too_large', `the result is larger than ${limit} bytes`);
    return reply;
  } catch (err) {
    const text = String(err && err.message ? err.message : err).split('\n')[0].slice(0, 500);
    return fail(/memory/i.test(text) ? 'memory' : /stack/i.test(text) ? 'recursion' : 'crashed', `the JavaScript runtime stopped: ${text}`);
  }
  // The process exits right after the job; disposing the runtime is not needed for isolation.
}

// --- analysis: syntax (compiled in QuickJS, not run), the `main` contract and the JSDoc schema ---

const TYPES = { number: 'number', integer: 'integer', int: 'integer', string: 'string', boolean: 'boolean', bool: 'boolean', object: 'object', array: 'array', any: null, '*': null };

function jsdocType(raw) {
  let t = raw.trim();
  if (t.endsWith('=')) t = t.slice(0, -1).trim();
  if (t.startsWith('?')) t = t.slice(1);
  const literals = t.split('|').map((p) => p.trim());
  if (literals.length > 1 && literals.every((p) => /^(['"]).*\1$/.test(p))) return { type: 'string', enum: literals.map((p) => p.slice(1, -1)) };
  if (literals.length > 1) {
    const parts = literals.map(jsdocType);
    return parts.some((p) => !p.type) ? {} : { anyOf: parts };
  }
  const arr = /^(?:Array<(.+)>|(.+)\[\])$/.exec(t);
  if (arr) return { type: 'array', items: jsdocType(arr[1] ?? arr[2]) };
  const rec = /^(?:Object|Record)<\s*string\s*,\s*(.+)>$/i.exec(t);
  if (rec) return { type: 'object', additionalProperties: jsdocType(rec[1]) };
  const known = TYPES[t.toLowerCase()];
  return known ? { type: known } : {};
}

function parseDefault(text) {
  try {
    return JSON.parse(text);
  } catch {
    return /^'(.*)'$/.test(text) ? text.slice(1, -1) : text;
  }
}

/** The JSDoc block just before `main`: description and `@param {T} name - text` entries. */
function schemaFromJsDoc(code) {
  const m = /\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*(?:export\s+default\s+)?(?:async\s+)?function\s+main\s*\(/.exec(code);
  const fallback = { inputSchema: { type: 'object', additionalProperties: true } };
  if (!m) return fallback;
  const lines = m[1].split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trimEnd());
  const description = [];
  const params = [];
  let inTags = false;
  for (const line of lines) {
    const tag = /^@param\s+\{([^}]+)\}\s+(\[[^\]]+\]|[\w$.]+)\s*(?:-\s*)?(.*)$/.exec(line.trim());
    if (tag) {
      inTags = true;
      let name = tag[2];
      let optional = tag[1].trim().endsWith('=');
      let dflt;
      if (name.startsWith('[')) {
        optional = true;
        const [n, d] = name.slice(1, -1).split('=');
        name = n.trim();
        if (d !== undefined) dflt = parseDefault(d.trim());
      }
      params.push({ type: tag[1], name, optional, dflt, text: tag[3].trim() });
      continue;
    }
    if (line.trim().startsWith('@')) {
      inTags = true;
      continue;
    }
    if (!inTags) description.push(line);
    else if (params.length && line.trim()) params[params.length - 1].text += ` ${line.trim()}`;
  }
  // `@param {object} args` + `@param {number} args.a`: the dotted children are the properties.
  const dotted = params.filter((p) => p.name.includes('.'));
  const props = dotted.length ? dotted.map((p) => ({ ...p, name: p.name.slice(p.name.lastIndexOf('.') + 1) })) : params;
  const text = description.join('\n').trim();
  if (!props.length) return { ...(text ? { description: text } : {}), ...fallback };
  const properties = {};
  const required = [];
  for (const p of props) {
    properties[p.name] = { ...jsdocType(p.type), ...(p.text ? { description: p.text } : {}), ...(p.dflt !== undefined ? { default: p.dflt } : {}) };
    if (!p.optional) required.push(p.name);
  }
  return { ...(text ? { description: text } : {}), inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false } };
}

/** validate-code for JavaScript: `{ code, maxCodeBytes }` → CodeAnalysis. The code is compiled, never run. */
export function analyzeJavaScript(QuickJS, request) {
  const code = String(request.code ?? '');
  const errors = [];
  const size = Buffer.byteLength(code);
  const maxCodeBytes = Number(request.maxCodeBytes) || 100 * 1024;
  if (size > maxCodeBytes) return { valid: false, errors: [{ kind: 'size', message: `the code is ${size} bytes; the limit is ${maxCodeBytes}` }], warnings: [], imports: [] };
  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit(64 * 1024 * 1024);
  rt.setMaxStackSize(512 * 1024);
  const ctx = rt.newContext();
  const compiled = ctx.evalCode(code + EPILOGUE, 'tool.js', { type: 'module', strict: true, compileOnly: true });
  if (compiled.error) {
    const d = ctx.dump(compiled.error);
    const line = /tool\.js:(\d+)/.exec(String(d && d.stack))?.[1];
    errors.push({ kind: 'syntax', message: `${(d && d.name) || 'SyntaxError'}: ${(d && d.message) || String(d)}`, ...(line ? { line: Number(line) } : {}) });
  }
  if (/^\s*import\s[\s\S]*?from\s|^\s*import\s*['"]/m.test(code)) errors.push({ kind: 'forbidden_import', message: 'JavaScript tools cannot import modules; use the globals (http, secrets, arguments, console)' });
  if (!/(?:^|[\s;])(?:export\s+default\s+)?(?:async\s+)?function\s+main\s*\(|export\s+default\s+(?:async\s*)?(?:\(|function\b|[\w$]+\s*=>)|(?:const|let|var)\s+main\s*=/.test(code)) {
    errors.push({ kind: 'contract', message: 'the tool must define main: export default async function main(args) { ... }' });
  }
  const { description, inputSchema } = schemaFromJsDoc(code);
  return { valid: errors.length === 0, errors, warnings: [], imports: [], ...(description ? { description } : {}), inputSchema };
}
