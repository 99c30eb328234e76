#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (TypeScript through tsx).
// Node 20's --test does not expand globs, so the file list is collected here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(p);
  }
}
for (const r of roots.length ? roots : ['src', 'test']) {
  if (statSync(r).isDirectory()) walk(r); else files.push(r);
}
files.sort();
// Guard rails so a hung test fails the run instead of stalling CI: a per-test timeout, exit once the
// tests are done even if something still holds the event loop, and a hard limit for the whole run.
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', '--test-force-exit', ...flags, ...files],
  { stdio: 'inherit', timeout: 30 * 60_000, killSignal: 'SIGKILL' },
);
if (res.error) console.error(`test run aborted: ${res.error.message}`);
process.exit(res.status ?? 1);
