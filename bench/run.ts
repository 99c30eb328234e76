// npm run bench: measure the gateway against direct calls and write docs/benchmarks.md.
// Uses only 127.0.0.1, stops by itself (watchdog), and takes a few minutes on two cores.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGateway, FIXTURE } from './lib/gateway.js';
import { machine } from './lib/machine.js';
import { killAll, startNode } from './lib/procs.js';
import { goals, renderReport } from './report.js';
import { catalogueSection } from './sections/catalogue.js';
import { latencySection } from './sections/latency.js';
import { memorySection } from './sections/memory.js';
import { writeDocSection } from './lib/doc-section.js';
import { renderSandboxSection, sandboxSection } from './sections/sandbox.js';
import { renderSearchSection, runSearchBench, writeSearchSection } from './search/run.js';

const WATCHDOG_MS = 15 * 60_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (s: string) => console.log(s);

const watchdog = setTimeout(() => {
  console.error(`bench: watchdog fired after ${WATCHDOG_MS / 60_000} min; stopping`);
  killAll();
  process.exit(1);
}, WATCHDOG_MS);

async function main(): Promise<void> {
  const started = performance.now();
  const m = machine();
  log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}`);
  log('Compiling the gateway (src/ → bench/results/dist)…');
  const dist = buildGateway(root);

  const fixture = await startNode(['--import', 'tsx', FIXTURE, '--http'], root);
  const fixtureUrl = fixture.ready[0]!;
  log(`HTTP fixture at ${fixtureUrl}`);
  let latency, catalogue;
  try {
    log('1. tools/call latency and throughput');
    latency = await latencySection(root, dist, fixtureUrl, log);
    log('2. merged tools/list');
    catalogue = await catalogueSection(root, dist, fixtureUrl, log);
  } finally {
    await fixture.stop();
  }
  log('3. idle memory');
  const memory = await memorySection(root, dist, log);

  const results = { machine: m, latency, catalogue, memory, durationS: (performance.now() - started) / 1000 };
  const out = join(root, 'docs', 'benchmarks.md');
  writeFileSync(out, renderReport(results));
  // Tool search runs in this process (no gateway); its section goes between markers at the end of the file.
  log('4. tool search');
  writeSearchSection(renderSearchSection(runSearchBench(log)));
  log('5. hosted tools: the Python sandbox');
  writeDocSection('sandbox', renderSandboxSection(await sandboxSection(log)));
  log(`\nWrote ${out}`);
  for (const g of goals(results)) log(`  ${g.pass ? 'pass' : 'FAIL'}  ${g.goal}: ${g.measured} (goal ${g.target})`);
}

main().then(
  () => {
    clearTimeout(watchdog);
    killAll();
  },
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    killAll();
    process.exit(1);
  },
);
