// Section 3: idle RSS of the gateway process with 10 stdio upstreams (and with none, for reference).
import { startGateway, stdioServer } from '../lib/gateway.js';
import { descendantsOf, rssOf } from '../lib/procs.js';

export const STDIO_UPSTREAMS = 10;
/** Idle time before sampling, then samples every SAMPLE_EVERY_MS; the median is reported. */
const SETTLE_MS = 5000;
const SAMPLES = 5;
const SAMPLE_EVERY_MS = 500;

export interface IdleMemory {
  upstreams: number;
  ready: number;
  /** The gateway process alone (VmRSS). */
  gatewayRss: number;
  /** The same right after a forced full GC, for information. */
  gatewayRssAfterGc: number;
  /** All its descendants together (upstream processes, through tsx), for information. */
  childrenRss: number;
  children: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function medianRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    samples.push(rssOf(pid));
    await sleep(SAMPLE_EVERY_MS);
  }
  return samples.sort((a, b) => a - b)[Math.floor(SAMPLES / 2)]!;
}

async function idleRss(root: string, dist: string, upstreams: number): Promise<IdleMemory> {
  const servers = Array.from({ length: upstreams }, (_, i) => stdioServer(`echo${i + 1}`, root));
  const gw = await startGateway(root, dist, servers, 'always');
  try {
    await sleep(SETTLE_MS);
    const gatewayRss = await medianRss(gw.pid);
    await gw.gc();
    const gatewayRssAfterGc = await medianRss(gw.pid);
    const kids = descendantsOf(gw.pid);
    return {
      upstreams,
      ready: gw.states.filter((s) => s === 'ready').length,
      gatewayRss,
      gatewayRssAfterGc,
      childrenRss: kids.reduce((a, pid) => a + rssOf(pid), 0),
      children: kids.length,
    };
  } finally {
    await gw.stop();
  }
}

export async function memorySection(root: string, dist: string, log: (s: string) => void): Promise<{ empty: IdleMemory; loaded: IdleMemory }> {
  log('  gateway with no upstreams');
  const empty = await idleRss(root, dist, 0);
  log(`  gateway with ${STDIO_UPSTREAMS} stdio upstreams`);
  const loaded = await idleRss(root, dist, STDIO_UPSTREAMS);
  return { empty, loaded };
}
