// The gateway under test, in its own process, from compiled JavaScript (no tsx loader, so its RSS is
// what a production `switchboard serve` would have).
//
//   node [--expose-gc] bench/gateway-proc.mjs <dist dir> <config.json> <data dir>
//
// Listens on 127.0.0.1 (free port), waits for the upstreams to settle, prints "READY <url> <states>",
// and closes cleanly on SIGTERM or when stdin ends. A "gc" line on stdin runs a full GC (with
// --expose-gc) and answers "GC".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [distDir, configPath, dataDir] = process.argv.slice(2);
const { serveSwitchboard } = await import(pathToFileURL(join(distDir, 'main.js')).href);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const sb = await serveSwitchboard({ config, dataDir, host: '127.0.0.1', port: 0 });
await sb.settled(60_000);
const states = sb.upstreams.list().map((u) => u.state);
process.stdout.write(`READY ${sb.url} ${JSON.stringify(states)}\n`);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await sb.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== 'gc') return;
    globalThis.gc?.();
    process.stdout.write('GC\n');
  })
  .on('close', stop);
