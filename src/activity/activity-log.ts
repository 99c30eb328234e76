import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { EventBus } from '../events/index.js';
import type { Principal } from '../shared/index.js';
import type { ActivityCaller, ActivityEntry, ActivityRepo } from '../store/index.js';
import { newRecordId } from './record-id.js';
import type { ActivityRecorder, McpRequestStart } from './recorder.js';
import { boundJson, createRedactor, type RedactLimits, type SecretValuesGetter } from './redact.js';

export interface ActivityLogOptions {
  repo: ActivityRepo;
  /** Live events (`activity.*`) go here, carrying the same redacted data as the rows. */
  events?: EventBus;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** Days to keep records; read at every cleanup so a settings change applies without a restart. 0 keeps everything. */
  retentionDays?: () => number;
  /** How long a record may wait in memory before its batch is written. */
  flushIntervalMs?: number;
  /** A batch this large is written at once rather than waiting for the interval. */
  maxBatch?: number;
  /** Beyond this many unwritten records (the database is stuck) the oldest are dropped and counted. */
  maxBuffer?: number;
  cleanupIntervalMs?: number;
  /** Delay before the first retention cleanup after start. */
  firstCleanupMs?: number;
  /** Bounds for the kept payloads (after redaction). */
  maxArgumentsBytes?: number;
  maxResultBytes?: number;
  redactLimits?: Partial<RedactLimits>;
}

/** The activity recorder with its lifecycle: buffered writes, retention cleanup, redaction sources. */
export interface ActivityLog extends ActivityRecorder {
  registerSecretValues(getter: SecretValuesGetter): () => void;
  flush(): Promise<void>;
  /** Apply the retention now; returns how many records were deleted. */
  cleanup(now?: number): Promise<number>;
  /** Records dropped because the buffer overflowed or a batch failed to write. */
  readonly dropped: number;
  /** Stop the timers, record in-flight requests as cancelled, write everything. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

interface Pending {
  entry: ActivityEntry;
  rawArguments: unknown;
  t0: number;
}

/** Create the activity log that writes through `repo` in batches, off the request path. */
export function createActivityLog(opts: ActivityLogOptions): ActivityLog {
  const { repo, events } = opts;
  const flushIntervalMs = opts.flushIntervalMs ?? 250;
  const maxBatch = opts.maxBatch ?? 500;
  const maxBuffer = opts.maxBuffer ?? 10_000;
  const maxArgs = opts.maxArgumentsBytes ?? 16_384;
  const maxResult = opts.maxResultBytes ?? 8_192;
  const redact = createRedactor(opts.redactLimits);
  const buffer: ActivityEntry[] = [];
  const pending = new Map<string, Pending>();
  let dropped = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const cleanupTimers: NodeJS.Timeout[] = [];
  if ((opts.cleanupIntervalMs ?? 1) > 0) {
    const first = setTimeout(() => void cleanup().catch(() => undefined), opts.firstCleanupMs ?? 60_000);
    const every = setInterval(() => void cleanup().catch(() => undefined), opts.cleanupIntervalMs ?? 3_600_000);
    first.unref();
    every.unref();
    cleanupTimers.push(first, every);
  }

  function push(entry: ActivityEntry): void {
    if (closed) return;
    if (buffer.length >= maxBuffer) {
      buffer.shift();
      dropped++;
    }
    buffer.push(entry);
    if (buffer.length >= maxBatch) {
      clearTimeout(timer);
      timer = undefined;
      void flush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, flushIntervalMs);
      timer.unref();
    }
  }

  async function writeAll(): Promise<void> {
    while (buffer.length) {
      const batch = buffer.splice(0, maxBatch);
      try {
        await repo.insert(batch);
      } catch (err) {
        dropped += batch.length;
        opts.logger?.error({ err: (err as Error).message, records: batch.length }, 'activity log: batch write failed; records dropped');
      }
    }
  }

  function flush(): Promise<void> {
    chain = chain.then(writeAll);
    return chain;
  }

  async function cleanup(now = Date.now()): Promise<number> {
    const days = opts.retentionDays ? opts.retentionDays() : DEFAULT_RETENTION_DAYS;
    if (!(Number.isFinite(days) && days > 0)) return 0;
    const n = await repo.deleteBefore(new Date(now - days * DAY_MS).toISOString());
    if (n > 0) opts.logger?.info({ deleted: n, retention_days: days }, 'activity log: retention cleanup');
    return n;
  }

  function emit(type: Parameters<EventBus['emit']>[0], entry: ActivityEntry): void {
    events?.emit(type, entry as unknown as Record<string, unknown>);
  }

  function redactedArguments(raw: unknown): unknown {
    return raw === undefined ? undefined : boundJson(redact.value(raw), maxArgs);
  }

  function finish(p: Pending, outcome: Parameters<ReturnType<ActivityRecorder['mcpRequest']>>[0]): void {
    const { entry } = p;
    entry.status = outcome.status;
    entry.duration_ms = Math.max(0, Math.round(performance.now() - p.t0));
    entry.result_bytes = outcome.resultBytes ?? (outcome.result !== undefined ? byteLength(outcome.result) : null);
    entry.error_code = outcome.errorCode ?? null;
    entry.error_message = outcome.errorMessage !== undefined ? redact.text(outcome.errorMessage) : null;
    if (outcome.reason !== undefined) entry.reason = redact.text(outcome.reason);
    if (!('arguments' in entry)) {
      const args = redactedArguments(p.rawArguments);
      if (args !== undefined) entry.arguments = args;
    }
    if (outcome.result !== undefined) entry.result = boundJson(redact.value(outcome.result), maxResult);
    emit('activity.tool_call.completed', entry);
    push(entry);
  }

  return {
    mcpRequest(start) {
      if (closed) return () => undefined;
      let p: Pending;
      try {
        p = { entry: startEntry(start, redact.text), rawArguments: start.arguments, t0: performance.now() };
        // Redact the arguments now only when someone is listening; otherwise once, at the finish.
        if (events && events.listenerCount > 0) {
          const args = redactedArguments(start.arguments);
          if (args !== undefined) p.entry.arguments = args;
          emit('activity.tool_call.started', { ...p.entry, status: 'started' });
        }
        pending.set(p.entry.id, p);
      } catch (err) {
        opts.logger?.warn({ err: (err as Error).message }, 'activity log: could not record a request');
        return () => undefined;
      }
      return (outcome) => {
        if (!pending.delete(p.entry.id)) return;
        try {
          finish(p, outcome);
        } catch (err) {
          opts.logger?.warn({ err: (err as Error).message }, 'activity log: could not record a request');
        }
      };
    },
    policyDecision(rec) {
      if (closed) return;
      try {
        const entry: ActivityEntry = {
          ...blank('policy_decision', rec.allowed ? 'allowed' : 'denied', rec.caller),
          session_id: rec.sessionId ?? null,
          method: rec.action,
          server: rec.server ?? null,
          tool: rec.tool ?? null,
          reason: rec.reason,
        };
        emit('activity.policy_decision', entry);
        push(entry);
      } catch (err) {
        opts.logger?.warn({ err: (err as Error).message }, 'activity log: could not record a policy decision');
      }
    },
    adminChange(rec) {
      if (closed) return;
      try {
        const entry: ActivityEntry = { ...blank('admin_change', 'ok', rec.actor), method: rec.action, target: redact.text(rec.target) };
        if (rec.before !== undefined) entry.before = boundJson(redact.value(rec.before), maxArgs);
        if (rec.after !== undefined) entry.after = boundJson(redact.value(rec.after), maxArgs);
        emit('activity.admin_change', entry);
        push(entry);
      } catch (err) {
        opts.logger?.warn({ err: (err as Error).message }, 'activity log: could not record an admin change');
      }
    },
    registerSecretValues: (getter) => redact.registerSecretValues(getter),
    flush,
    cleanup,
    get dropped() {
      return dropped;
    },
    async close() {
      if (closed) return;
      for (const t of cleanupTimers) clearInterval(t);
      clearTimeout(timer);
      for (const p of [...pending.values()]) finish(p, { status: 'cancelled', errorMessage: 'The gateway shut down before the request finished' });
      pending.clear();
      closed = true;
      await flush();
    },
  };
}

/** Every record type: the three MCP methods that reach an upstream, other MCP requests, and the rest. */
export const ACTIVITY_TYPES = ['tool_call', 'resource_read', 'prompt_get', 'mcp_request', 'policy_decision', 'admin_change'] as const;
/** Every record status: MCP requests end ok/error/cancelled (or denied), policy decisions are allowed/denied. */
export const ACTIVITY_STATUSES = ['ok', 'error', 'cancelled', 'denied', 'allowed'] as const;

/** The record type for an MCP method: the three that reach an upstream get their own names. */
export function recordType(method: string): string {
  if (method === 'tools/call') return 'tool_call';
  if (method === 'resources/read') return 'resource_read';
  if (method === 'prompts/get') return 'prompt_get';
  return 'mcp_request';
}

function callerOf(p: Principal): ActivityCaller {
  return { kind: p.kind, id: p.id, name: p.name };
}

function blank(type: string, status: string, caller: Principal): ActivityEntry {
  return {
    id: newRecordId(),
    type,
    at: new Date().toISOString(),
    status,
    caller: callerOf(caller),
    session_id: null,
    method: null,
    server: null,
    tool: null,
    target: null,
    duration_ms: null,
    result_bytes: null,
    request_id: null,
    error_code: null,
    error_message: null,
    reason: null,
  };
}

function startEntry(s: McpRequestStart, redactText: (s: string) => string): ActivityEntry {
  return {
    ...blank(recordType(s.method), 'started', s.caller),
    session_id: s.sessionId ?? null,
    method: s.method,
    server: s.server ?? null,
    tool: s.tool ?? null,
    target: s.target !== undefined ? redactText(s.target) : null,
    request_id: s.requestId !== undefined ? String(s.requestId) : null,
  };
}

function byteLength(v: unknown): number | null {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? null : Buffer.byteLength(s);
  } catch {
    return null;
  }
}
