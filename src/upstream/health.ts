import type { UpstreamState } from './states.js';

export type HealthLevel = 'healthy' | 'degraded' | 'unhealthy';
export type AdminState = 'enabled' | 'disabled' | 'quarantined';
export type HealthAction = '' | 'restart' | 'enable' | 'approve' | 'set_secret' | 'view_logs' | 'wait';

/** The health object shown for each server, derived from its state. */
export interface Health {
  level: HealthLevel;
  admin_state: AdminState;
  summary: string;
  detail: string;
  action: HealthAction;
}

export interface HealthInput {
  state: UpstreamState;
  quarantined: boolean;
  toolCount: number;
  lastError?: string;
  retryInMs?: number;
  attempts: number;
}

export function deriveHealth(h: HealthInput): Health {
  const detail = h.lastError ?? '';
  if (h.quarantined) return { level: 'unhealthy', admin_state: 'quarantined', summary: 'Quarantined until an admin approves it', detail, action: 'approve' };
  switch (h.state) {
    case 'disabled':
      return { level: 'unhealthy', admin_state: 'disabled', summary: 'Disabled', detail, action: 'enable' };
    case 'stopped':
      return { level: 'unhealthy', admin_state: 'enabled', summary: 'Stopped', detail, action: 'restart' };
    case 'starting':
      return { level: 'degraded', admin_state: 'enabled', summary: h.attempts > 1 ? `Connecting (attempt ${h.attempts})` : 'Connecting', detail, action: 'wait' };
    case 'ready':
      return { level: 'healthy', admin_state: 'enabled', summary: `Connected (${h.toolCount} tool${h.toolCount === 1 ? '' : 's'})`, detail: '', action: '' };
    case 'degraded':
      return { level: 'degraded', admin_state: 'enabled', summary: 'Connected with problems', detail, action: 'view_logs' };
    case 'backoff': {
      const secs = Math.max(1, Math.ceil((h.retryInMs ?? 0) / 1000));
      return { level: 'unhealthy', admin_state: 'enabled', summary: `Disconnected, retrying in ${secs}s`, detail, action: 'view_logs' };
    }
    case 'error':
      return { level: 'unhealthy', admin_state: 'enabled', summary: 'Failed; automatic retries stopped', detail, action: 'restart' };
    case 'needs_auth':
      return { level: 'unhealthy', admin_state: 'enabled', summary: 'Authentication failed', detail, action: 'set_secret' };
    case 'stopping':
      return { level: 'degraded', admin_state: 'enabled', summary: 'Stopping', detail, action: 'wait' };
  }
}
