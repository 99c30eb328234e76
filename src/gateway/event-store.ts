import type { EventStore } from '@modelcontextprotocol/server';

type Message = Parameters<EventStore['storeEvent']>[1];

/**
 * A bounded in-memory event store so a client that loses its SSE stream can resume with
 * Last-Event-ID. Keeps the newest `limit` events per session; older ones are gone, and a resume from
 * before them replays what is left.
 */
export class BoundedEventStore implements EventStore {
  private seq = 0;
  private readonly events: { id: string; stream: string; message: Message }[] = [];
  constructor(private readonly limit = 1000) {}

  async storeEvent(streamId: string, message: Message): Promise<string> {
    const id = `${streamId}|${++this.seq}`;
    this.events.push({ id, stream: streamId, message });
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const bar = eventId.lastIndexOf('|');
    return bar > 0 ? eventId.slice(0, bar) : undefined;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: Message) => Promise<void> }): Promise<string> {
    const stream = (await this.getStreamIdForEventId(lastEventId)) ?? '';
    const after = Number(lastEventId.slice(lastEventId.lastIndexOf('|') + 1));
    for (const e of this.events) {
      if (e.stream === stream && Number(e.id.slice(e.id.lastIndexOf('|') + 1)) > after) await send(e.id, e.message);
    }
    return stream;
  }
}
