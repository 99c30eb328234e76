/** Per-call resource limits: defaults, bounds and the one resolver every job goes through. */
import { SwitchboardError } from '../shared/index.js';
import type { SandboxMode } from './types.js';

export interface SandboxLimits {
  /** Wall-clock limit, enforced by killing the process. */
  timeoutMs: number;
  /** CPU time of the sandbox process, measured by the host and backed by RLIMIT_CPU. */
  cpuSeconds: number;
  /** The interpreter's heap (the WebAssembly memory); a bigger allocation raises MemoryError. */
  memoryMb: number;
  maxCodeBytes: number;
  /** print() capture for `run` jobs. */
  maxStdoutBytes: number;
  /** print() capture for `test` jobs. */
  maxTestStdoutBytes: number;
  maxResultBytes: number;
  maxErrorBytes: number;
  /** RLIMIT_NOFILE of the sandbox process. */
  maxOpenFiles: number;
  /** `http` calls per tool call. */
  maxHttpRequests: number;
}

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  timeoutMs: 30_000,
  cpuSeconds: 60,
  memoryMb: 256,
  maxCodeBytes: 100 * 1024,
  maxStdoutBytes: 1024 * 1024,
  maxTestStdoutBytes: 10 * 1024,
  maxResultBytes: 1024 * 1024,
  maxErrorBytes: 8 * 1024,
  maxOpenFiles: 64,
  maxHttpRequests: 50,
});

/** Inclusive bounds an admin may configure. */
export const LIMIT_BOUNDS: Readonly<Record<keyof SandboxLimits, [number, number]>> = Object.freeze({
  timeoutMs: [100, 300_000],
  cpuSeconds: [1, 600],
  memoryMb: [64, 2048],
  maxCodeBytes: [1024, 1024 * 1024],
  maxStdoutBytes: [1024, 16 * 1024 * 1024],
  maxTestStdoutBytes: [1024, 16 * 1024 * 1024],
  maxResultBytes: [1024, 16 * 1024 * 1024],
  maxErrorBytes: [256, 64 * 1024],
  maxOpenFiles: [32, 4096],
  maxHttpRequests: [0, 1000],
});

/** The limits a job runs under, with the stdout capture chosen for its mode. */
export interface ResolvedLimits extends SandboxLimits {
  stdoutBytes: number;
}

/**
 * Merge overrides onto a base and check every value against LIMIT_BOUNDS. Out-of-range or non-integer
 * values are refused with SWB_VALIDATION_FAILED naming the limit, never silently clamped.
 */
export function resolveLimits(base: Partial<SandboxLimits> = {}, override: Partial<SandboxLimits> = {}, mode: SandboxMode = 'run'): ResolvedLimits {
  const merged = { ...DEFAULT_LIMITS, ...definedOnly(base), ...definedOnly(override) } as SandboxLimits;
  for (const key of Object.keys(LIMIT_BOUNDS) as (keyof SandboxLimits)[]) {
    const value = merged[key];
    const [min, max] = LIMIT_BOUNDS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new SwitchboardError('SWB_VALIDATION_FAILED', `sandbox limit ${key} must be an integer from ${min} to ${max}`, { limit: key, value, min, max });
    }
  }
  return { ...merged, stdoutBytes: mode === 'test' ? merged.maxTestStdoutBytes : merged.maxStdoutBytes };
}

function definedOnly(o: Partial<SandboxLimits>): Partial<SandboxLimits> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<SandboxLimits>;
}
