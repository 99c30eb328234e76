export { UpstreamSupervisor, type SupervisorEvents, type SupervisorOptions } from './supervisor.js';
export { Upstreams, type ApplyResult } from './upstreams.js';
export { connectUpstream, type UpstreamConnection, type UpstreamHooks, type RequestOptions, type ProtocolEra, type ConnectOptions } from './connection.js';
export { deriveHealth, type Health, type HealthLevel, type AdminState } from './health.js';
export { UPSTREAM_STATES, canTransition, type UpstreamState } from './states.js';
export { StderrLog, type StderrLine } from './stderr-log.js';
export { RetryPolicy, DEFAULT_RETRY, type RetryOptions } from './retry-policy.js';
export { withMcpSession, pinnedFetch, type OneShotSession, type OneShotTarget, type AddressGate } from './one-shot-client.js';
export { CallerPool, CALLER_METHODS, DEFAULT_CALLER_POOL, type CallerPoolOptions } from './caller-pool.js';
