// Section 1: tools/call latency and throughput, direct vs through the gateway, HTTP and stdio upstreams.
import { closeAll, connectHttp, connectMany, connectModern, connectStdio, echoVia, type BenchClient } from '../lib/clients.js';
import { FIXTURE, httpServer, startGateway, stdioServer } from '../lib/gateway.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { cpuMsOf } from '../lib/procs.js';

export const C1_CALLS = 2000;
export const C16_LOOPS = 16;
export const C16_CALLS = 500;
const C1_WARMUP = 300;
const C16_WARMUP = 50;

export interface PathResult {
  c1: LoadResult;
  c16: LoadResult;
}

export interface TransportResult {
  transport: string;
  direct: PathResult;
  gateway: PathResult;
  /** How the direct c=16 runs were set up. */
  directC16: string;
}

/**
 * c=1: one session, sequential calls. c=16: 16 sessions, each sequential, all at once (or, for a
 * direct stdio server, which serves one client only, 16 call loops sharing its one connection).
 */
async function measure(open: () => Promise<BenchClient>, label: string, shareOneClient: boolean, cpu?: () => number): Promise<PathResult> {
  const one = await open();
  const c1 = await runLoad([echoVia(one)], C1_CALLS, C1_WARMUP, `${label}-c1`, cpu);
  const many = shareOneClient ? Array.from({ length: C16_LOOPS }, () => one) : await connectMany(C16_LOOPS, open);
  const c16 = await runLoad(many.map((c) => echoVia(c)), C16_CALLS, C16_WARMUP, `${label}-c16`, cpu);
  await closeAll(shareOneClient ? [one] : [one, ...many]);
  return { c1, c16 };
}

async function throughGateway(root: string, dist: string, server: Parameters<typeof startGateway>[2][number], label: string, connect = connectHttp): Promise<PathResult> {
  const gw = await startGateway(root, dist, [server], 'never');
  try {
    // The gateway's own CPU time per call (user + system, from /proc) is recorded alongside.
    return await measure(() => connect(gw.url), label, false, () => cpuMsOf(gw.pid));
  } finally {
    await gw.stop();
  }
}

export async function latencySection(root: string, dist: string, fixtureUrl: string, log: (s: string) => void): Promise<TransportResult[]> {
  log('  Streamable HTTP upstream: direct');
  const httpDirect = await measure(() => connectHttp(fixtureUrl), 'http-direct', false);
  log('  Streamable HTTP upstream: through the gateway');
  const httpGateway = await throughGateway(root, dist, httpServer('echo', fixtureUrl), 'http-gw');

  log('  stdio upstream: direct');
  const stdioDirect = await measure(() => connectStdio(process.execPath, ['--import', 'tsx', FIXTURE, '--stdio'], root), 'stdio-direct', true);
  log('  stdio upstream: through the gateway');
  const stdioGateway = await throughGateway(root, dist, stdioServer('echo', root), 'stdio-gw');

  // 2026-07-28 clients: stateless requests, each carrying its envelope. Direct = the same fixture serving the
  // new revision itself; through the gateway, the upstream is the fixture's 2025-era endpoint.
  log('  2026-07-28 client, Streamable HTTP upstream: direct');
  const modernUrl = fixtureUrl.replace(/\/mcp$/, '/mcp-modern');
  const modernDirect = await measure(() => connectModern(modernUrl), 'modern-direct', false);
  log('  2026-07-28 client, Streamable HTTP upstream: through the gateway');
  const modernGateway = await throughGateway(root, dist, httpServer('echo', fixtureUrl), 'modern-gw', connectModern);

  return [
    { transport: 'Streamable HTTP', direct: httpDirect, gateway: httpGateway, directC16: '16 sessions' },
    { transport: '2026-07-28 client, Streamable HTTP', direct: modernDirect, gateway: modernGateway, directC16: '16 clients' },
    { transport: 'stdio', direct: stdioDirect, gateway: stdioGateway, directC16: '16 call loops on the one stdio connection' },
  ];
}
