// Section 2: merged tools/list of 50 upstreams × 100 tools, through the gateway vs listing directly.
import { closeAll, connectHttp, listAllTools, type BenchClient } from '../lib/clients.js';
import { httpServer, startGateway } from '../lib/gateway.js';
import { summarise, type Summary } from '../lib/stats.js';

export const UPSTREAMS = 50;
export const TOOLS_PER_UPSTREAM = 100;
export const LISTINGS = 200;
const WARMUP = 20;
/** Listing all 50 upstreams directly is 50 requests per round: fewer rounds keep the run short. */
const DIRECT_ALL_ROUNDS = 50;

export interface ListingResult {
  /** Latency of one complete listing: the sum of its requests' times to last byte (slowest session when parallel). */
  latency: Summary;
  /** Latency of each single tools/list request (page). */
  page: Summary;
  pages: number;
  tools: number;
  /** JSON bytes of the complete listing (all pages). */
  bytes: number;
}

export interface CatalogueResult {
  gateway: ListingResult;
  /** tools/list on one upstream (100 tools). */
  directOne: ListingResult;
  /** tools/list on all 50 upstreams at once (50 sessions in parallel), what a client without a gateway does. */
  directAll: ListingResult;
  gatewayStartMs: number;
  upstreamsReady: number;
}

async function listRepeatedly(clients: readonly BenchClient[], rounds: number): Promise<ListingResult> {
  const latencies: number[] = [];
  const pageLatencies: number[] = [];
  let last = { tools: 0, bytes: 0, pages: 0 };
  for (let i = 0; i < WARMUP + rounds; i++) {
    const all = await Promise.all(clients.map((c) => listAllTools(c)));
    if (i < WARMUP) continue;
    latencies.push(Math.max(...all.map((r) => sum(r.pages))));
    for (const r of all) pageLatencies.push(...r.pages);
    last = { tools: sum(all.map((r) => r.tools)), bytes: sum(all.map((r) => r.bytes)), pages: sum(all.map((r) => r.pages.length)) };
  }
  return { latency: summarise(latencies), page: summarise(pageLatencies), ...last };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export async function catalogueSection(root: string, dist: string, fixtureUrl: string, log: (s: string) => void): Promise<CatalogueResult> {
  const urls = Array.from({ length: UPSTREAMS }, (_, i) => {
    const ns = `svc${String(i + 1).padStart(2, '0')}`;
    return { ns, url: `${fixtureUrl}?ns=${ns}&tools=${TOOLS_PER_UPSTREAM}` };
  });

  log(`  direct: one upstream (${TOOLS_PER_UPSTREAM} tools), then all ${UPSTREAMS} in parallel`);
  const one = await connectHttp(urls[0]!.url);
  const directOne = await listRepeatedly([one], LISTINGS);
  await one.close();
  const all = await Promise.all(urls.map((u) => connectHttp(u.url)));
  const directAll = await listRepeatedly(all, DIRECT_ALL_ROUNDS);
  await closeAll(all);

  log(`  through the gateway (${UPSTREAMS} upstreams, prefix "always")`);
  const gw = await startGateway(root, dist, urls.map((u) => httpServer(u.ns, u.url)), 'always');
  try {
    const client = await connectHttp(gw.url);
    const gateway = await listRepeatedly([client], LISTINGS);
    await client.close();
    return { gateway, directOne, directAll, gatewayStartMs: gw.startMs, upstreamsReady: gw.states.filter((s) => s === 'ready').length };
  } finally {
    await gw.stop();
  }
}
