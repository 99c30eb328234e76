// The sandbox process: loads Pyodide under Node's permission model, runs exactly one job, and exits.
// Plain JavaScript on purpose: it runs with read access to the Pyodide files and this directory only,
// so it cannot load tsx or anything else from the host.
//
// argv: <pyodide dir> <runtime dir> <snapshot file | -> <serve | snapshot> [<quickjs core dir> <quickjs variant dir>]
// stdio: stdin/stdout carry length-prefixed frames (u32 big-endian length, u8 kind, body); kind 1 is
// JSON, kind 2 raw bytes (the snapshot). Nothing else ever writes to stdout: console output goes to
// stderr, Python's print goes to a bounded capture. No JavaScript object is ever handed to Python:
// the runner calls Python functions with JSON strings and reads strings back.
import { constants as fsConstants, readFileSync } from 'node:fs';
import { constants as osConstants, networkInterfaces } from 'node:os';
import { analyzeJavaScript, loadQuickJS, runJavaScript } from './javascript.mjs';

const [pyodideDir, runtimeDir, snapshotFile, mode, quickjsCoreDir, quickjsVariantDir] = process.argv.slice(2);
const started = performance.now();

// Pyodide's NODEFS reads fs constants through process.binding, which the permission model denies.
const realBinding = process.binding;
process.binding = function binding(name) {
  if (name === 'constants') return { fs: fsConstants, os: osConstants };
  return realBinding.call(process, name);
};

// The memory limit: the interpreter's heap is one WebAssembly memory; refusing to grow it past the cap
// makes malloc fail, which Python reports as a clean MemoryError.
let memoryCap = 1024 * 1024 * 1024;
const grow = WebAssembly.Memory.prototype.grow;
WebAssembly.Memory.prototype.grow = function capped(pages) {
  if (this.buffer.byteLength + pages * 65536 > memoryCap) throw new RangeError('sandbox memory limit');
  return grow.call(this, pages);
};

for (const method of ['log', 'info', 'warn', 'debug', 'trace']) console[method] = (...args) => console.error(...args);

// Blocking writes, so a frame written just before process.exit() is never cut short.
process.stdout._handle?.setBlocking?.(true);

function send(message, bytes) {
  const body = bytes ?? Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(5);
  header.writeUInt32BE(body.length + 1, 0);
  header.writeUInt8(bytes ? 2 : 1, 4);
  return new Promise((resolve) => process.stdout.write(Buffer.concat([header, body]), resolve));
}

async function sendAndExit(message, bytes) {
  await send(message, bytes);
  process.exit(0);
}

const waiting = new Map();
let onJob;
let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 5) {
    const length = buffered.readUInt32BE(0);
    if (buffered.length < 4 + length) break;
    const message = JSON.parse(buffered.subarray(5, 4 + length).toString('utf8'));
    buffered = buffered.subarray(4 + length);
    if (message.t === 'probe') {
      void probe(message).then((result) => sendAndExit({ t: 'probe', result }));
      return;
    }
    if (message.t === 'http_result' && waiting.has(message.id)) {
      waiting.get(message.id)(message.response);
      waiting.delete(message.id);
    } else if (onJob) onJob(message);
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdout.on('error', () => process.exit(0));

const { loadPyodide } = await import(new URL(`file://${pyodideDir}/pyodide.mjs`).href);
const capture = { bytes: 0, limit: 1024 * 1024, chunks: [], onOverflow: null };
const write = (buffer) => {
  const room = capture.limit - capture.bytes;
  if (room > 0) capture.chunks.push(Buffer.from(buffer.subarray(0, Math.min(room, buffer.length))));
  capture.bytes += buffer.length;
  if (capture.bytes > capture.limit && capture.onOverflow) capture.onOverflow();
  return buffer.length;
};
const options = {
  indexURL: `${pyodideDir}/`,
  jsglobals: Object.create(null),
  env: {},
  stdin: () => {
    throw new Error('input is not available in tools');
  },
};
const python = (file) => readFileSync(`${runtimeDir}/${file}`, 'utf8');
let py;
if (mode === 'snapshot') {
  py = await loadPyodide({ ...options, _makeSnapshot: true });
  for (const file of ['guard.py', 'analyze.py', 'tool.py']) py.runPython(python(file), { filename: file });
  await sendAndExit(null, Buffer.from(py.makeMemorySnapshot()));
}
py = snapshotFile !== '-' ? await loadPyodide({ ...options, _loadSnapshot: readFileSync(snapshotFile) }) : await loadPyodide(options);
if (snapshotFile === '-') for (const file of ['guard.py', 'analyze.py', 'tool.py']) py.runPython(python(file), { filename: file });
delete globalThis.require;
py.setStdout({ write });
py.setStderr({ write });
py.runPython('_swb_arm([], _READ_PREFIXES)');
const startFn = py.globals.get('_swb_start');
const resumeFn = py.globals.get('_swb_resume');
const analyzeFn = py.globals.get('_swb_analyze');
const flush = py.globals.get('_swb_flush');
// JavaScript tools: the QuickJS WebAssembly module. A process serves one job, so the module is loaded
// when that job is a JavaScript one, before any of its code runs (a fresh runtime and context per call);
// Python jobs, the common case, never pay for it. Without it JavaScript jobs fail cleanly.
let quickjs;
let quickjsError = 'QuickJS is not configured';
async function quickjsRuntime() {
  if (quickjs || !quickjsCoreDir || !quickjsVariantDir) return quickjs;
  try {
    quickjs = await loadQuickJS(quickjsCoreDir, quickjsVariantDir);
  } catch (err) {
    quickjsError = String(err && err.message ? err.message : err).slice(0, 300);
  }
  return quickjs;
}

// Warm-up with fixed code of our own (no tool code, no secrets): WebAssembly functions are compiled on
// first use, so exercising parse, compile, the driver and the analyser now keeps that off the call.
{
  const warmup = 'async def main(x: int = 1):\n    """Warm-up."""\n    return {"x": [x, str(x)]}\n';
  startFn(JSON.stringify({ code: warmup, arguments: {}, secrets: {}, allowedModules: ['json', 'datetime'], limits: {} }));
  analyzeFn(JSON.stringify({ code: warmup, allowedModules: [] }));
  flush();
  capture.chunks = [];
  capture.bytes = 0;
}

/** What this process can see and do, for the layer tests and `sandboxLayers()`; takes no code. */
async function probe(request) {
  const permission = process.permission;
  const has = (scope, ref) => (permission ? permission.has(scope, ref) : true);
  const attempt = async (fn) => {
    try {
      await fn();
      return 'allowed';
    } catch (err) {
      return String(err && (err.code || err.name)) || 'denied';
    }
  };
  const { writeFileSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const { connect } = await import('node:net');
  return {
    pid: process.pid,
    uid: typeof process.getuid === 'function' ? process.getuid() : -1,
    envKeys: Object.keys(process.env).length,
    permissionModel: Boolean(permission),
    fsWrite: has('fs.write'),
    readsOutside: has('fs.read', '/etc/passwd'),
    childProcess: has('child'),
    worker: has('worker'),
    interfaces: Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? []).map((i) => `${name}:${i.address}`)),
    attempts: {
      readHostFile: await attempt(() => readFileSync('/etc/passwd')),
      writeFile: await attempt(() => writeFileSync('/tmp/switchboard-sandbox-probe', 'x')),
      spawn: await attempt(() => {
        const r = spawnSync('/bin/true');
        if (r.error) throw r.error;
      }),
      codeFromString: await attempt(() => new Function('return 1')()),
      signalHost: await attempt(() => process.kill(Number(request.hostPid), 0)),
      connect: await attempt(
        () =>
          new Promise((resolve, reject) => {
            const socket = connect({ host: String(request.connectHost ?? '1.1.1.1'), port: Number(request.connectPort ?? 80) });
            socket.setTimeout(1500, () => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
            socket.on('connect', () => resolve(socket.destroy()));
            socket.on('error', reject);
          }),
      ),
    },
  };
}

function finish(message, { flushPython = true } = {}) {
  try {
    if (flushPython) flush();
  } catch {
    // A dead interpreter cannot flush; the capture already holds what it wrote.
  }
  message.stdout = Buffer.concat(capture.chunks).toString('utf8');
  message.durationMs = performance.now() - message.startedAt;
  delete message.startedAt;
  if (flushPython) return void sendAndExit(message);
  // Inside Python's write(): the interpreter must not run on; stdout is blocking, so exit right away.
  void send(message);
  process.exit(0);
}

async function runJob(job) {
  const startedAt = performance.now();
  memoryCap = job.limits.memoryMb * 1024 * 1024;
  capture.limit = job.limits.maxStdoutBytes;
  capture.onOverflow = () => {
    capture.onOverflow = null;
    // Called from inside Python's write(): report and exit here, without re-entering the interpreter.
    finish({ t: 'result', startedAt, outcome: { error: { kind: 'output_too_large', message: `the tool printed more than ${capture.limit} bytes` } } }, { flushPython: false });
  };
  let requests = 0;
  if (job.language === 'javascript') {
    if (!(await quickjsRuntime())) return finish({ t: 'result', startedAt, outcome: { error: { kind: 'crashed', message: `the JavaScript runtime is unavailable: ${quickjsError}` } } });
    const print = (text) => void write(Buffer.from(text, 'utf8'));
    const http = (payload) => {
      requests += 1;
      const id = requests;
      let request;
      try {
        request = JSON.parse(payload);
      } catch {
        return Promise.resolve(JSON.stringify({ ok: false, error: { message: 'the request is not JSON' } }));
      }
      return new Promise((resolve) => {
        waiting.set(id, (response) => resolve(JSON.stringify(response ?? null)));
        send({ t: 'http', id, request });
      });
    };
    const outcome = await runJavaScript(quickjs, job, { print, http });
    return finish({ t: 'result', startedAt, outcome });
  }
  try {
    let reply = startFn(JSON.stringify(job));
    for (;;) {
      const outcome = JSON.parse(reply);
      if (!outcome.wait) return finish({ t: 'result', startedAt, outcome });
      requests += 1;
      const id = requests;
      const response = await new Promise((resolve) => {
        waiting.set(id, resolve);
        send({ t: 'http', id, request: outcome.wait });
      });
      reply = resumeFn(JSON.stringify(response));
    }
  } catch (err) {
    // A JavaScript exception out of Pyodide means the interpreter died (a fatal error, a stack
    // overflow in the WebAssembly code, a permission denial deep in libc).
    const text = String(err && err.message ? err.message : err).split('\n')[0].slice(0, 500);
    const kind = /call stack/i.test(text) ? 'recursion' : /memory/i.test(text) ? 'memory' : 'crashed';
    finish({ t: 'result', startedAt, outcome: { error: { kind, message: `the interpreter stopped: ${text}` } } });
  }
}

onJob = async (message) => {
  onJob = undefined;
  if (message.t === 'job') void runJob(message.job);
  else if (message.t === 'analyze') {
    let result;
    try {
      if (message.request.language === 'javascript') {
        if (!(await quickjsRuntime())) throw new Error(`the JavaScript runtime is unavailable: ${quickjsError}`);
        result = analyzeJavaScript(quickjs, message.request);
      } else result = JSON.parse(analyzeFn(JSON.stringify(message.request)));
    } catch (err) {
      const text = String(err && err.message ? err.message : err).split('\n').filter(Boolean).pop() ?? 'error';
      result = { valid: false, errors: [{ kind: 'syntax', message: `the code could not be analysed: ${text.slice(0, 300)}` }], warnings: [], imports: [] };
    }
    void sendAndExit({ t: 'analysis', result });
  } else process.exit(2);
};
send({ t: 'ready', bootMs: performance.now() - started });
