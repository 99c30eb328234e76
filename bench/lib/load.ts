import { summarise, type Summary } from './stats.js';

/** One call loop's way to reach `echo`: sends `text`, resolves with the echoed text. */
export type EchoCall = (text: string) => Promise<string>;

export interface LoadResult extends Summary {
  /** Completed measured calls per second of wall time, all loops together. */
  callsPerSec: number;
  /** Calls whose echoed text was not what this loop sent (a response crossed from another session). */
  crossed: number;
  errors: number;
  /** Measured-phase delta of `probe` per call (e.g. the gateway's CPU ms per call), when a probe is given. */
  probePerCall?: number;
}

/**
 * Run one sequential call loop per entry of `loops`, all concurrently: `warmup` unmeasured calls each,
 * then (once every loop has warmed up) `calls` measured calls each. Every call sends a unique text
 * (loop id + sequence number) and checks that exactly that text comes back.
 */
export async function runLoad(loops: readonly EchoCall[], calls: number, warmup: number, label: string, probe?: () => number): Promise<LoadResult> {
  const tag = `${label}-${Date.now().toString(36)}`;
  const latencies: number[] = [];
  let crossed = 0;
  let errors = 0;
  const loop = async (call: EchoCall, id: number, phase: string, n: number, measure: boolean) => {
    for (let seq = 0; seq < n; seq++) {
      const text = `${tag}/s${id}/${phase}${seq}`;
      const t0 = performance.now();
      try {
        const got = await call(text);
        if (measure) latencies.push(performance.now() - t0);
        if (got !== text) crossed++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(loops.map((call, id) => loop(call, id, 'w', warmup, false)));
  crossed = 0;
  errors = 0;
  const probe0 = probe?.();
  const start = performance.now();
  await Promise.all(loops.map((call, id) => loop(call, id, 'm', calls, true)));
  const wallMs = performance.now() - start;
  const result: LoadResult = { ...summarise(latencies), callsPerSec: (latencies.length / wallMs) * 1000, crossed, errors };
  if (probe && probe0 !== undefined) result.probePerCall = (probe() - probe0) / (loops.length * calls);
  return result;
}
