import { authHeaders, refreshSession } from './client';
import { getSession } from './session';
import { parseSseChunk } from './sse-parse';

/**
 * The live event stream (`GET /events`, Server-Sent Events) read with fetch rather than EventSource,
 * so the access token travels in the Authorization header instead of the URL (where it would land in
 * access logs). One connection for the whole console; it reconnects with backoff and resumes after a
 * token renewal.
 */

export interface LiveEvent {
  id: number;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

export type StreamStatus = 'connecting' | 'live' | 'offline';

class EventStream {
  private listeners = new Set<(e: LiveEvent) => void>();
  private statusListeners = new Set<(s: StreamStatus) => void>();
  private controller: AbortController | undefined;
  private retryMs = 1000;
  private timer: ReturnType<typeof setTimeout> | undefined;
  status: StreamStatus = 'offline';

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (s: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    clearTimeout(this.timer);
    this.setStatus('offline');
  }

  private setStatus(s: StreamStatus): void {
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.setStatus('connecting');
      try {
        const res = await fetch('/events', { headers: { ...authHeaders(), accept: 'text/event-stream' }, signal, cache: 'no-store' });
        if (res.status === 401 && getSession() && (await refreshSession())) continue;
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        this.setStatus('live');
        this.retryMs = 1000;
        await this.read(res.body, signal);
      } catch {
        if (signal.aborted) return;
      }
      this.setStatus('offline');
      await new Promise<void>((resolve) => {
        this.timer = setTimeout(resolve, this.retryMs);
      });
      this.retryMs = Math.min(this.retryMs * 2, 15_000);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseSseChunk(buffer + decoder.decode(value, { stream: true }));
      buffer = parsed.rest;
      for (const raw of parsed.events) {
        try {
          const event = JSON.parse(raw) as LiveEvent;
          for (const l of this.listeners) l(event);
        } catch {
          // A frame that is not JSON is not ours to show.
        }
      }
    }
  }
}

/** The console's one live connection. */
export const liveEvents = new EventStream();
