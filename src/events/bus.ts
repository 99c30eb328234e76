/**
 * The in-process event bus. Lower layers emit, main.ts wires subscriptions; the SSE `/events` stream
 * and the activity WebSocket are subscribers. Names follow `domain.past_tense`.
 */
export const EVENT_TYPES = [
  'servers.changed',
  'config.reloaded',
  'tools.indexed',
  'profiles.changed',
  'activity.tool_call.started',
  'activity.tool_call.completed',
  'activity.policy_decision',
  'activity.admin_change',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface SwitchboardEvent {
  /** Monotonic per process; SSE uses it as the event id. */
  readonly id: number;
  readonly type: EventType;
  readonly at: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export type EventListener = (event: SwitchboardEvent) => void;

export interface EventBus {
  emit(type: EventType, data: Record<string, unknown>): void;
  /** Returns the unsubscribe function. A throwing listener never affects the emitter or others. */
  subscribe(listener: EventListener): () => void;
  readonly listenerCount: number;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  let next = 1;
  return {
    emit(type, data) {
      if (listeners.size === 0) return;
      const event: SwitchboardEvent = { id: next++, type, at: new Date().toISOString(), data };
      for (const l of listeners) {
        try {
          l(event);
        } catch {
          // a subscriber's failure is its own
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}
