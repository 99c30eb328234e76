/**
 * Incremental parser for a text/event-stream body (the WHATWG EventSource rules): LF, CR and CRLF
 * line ends, chunks split anywhere (a CRLF included), comments, `event`, `data` (several lines
 * joined with LF), `id` (kept across events, ignored if it contains NUL) and `retry`. Events without
 * data (priming events) update the last event id but are not dispatched. A line or event larger than
 * `maxChars` throws.
 */
export class SseParser {
  lastEventId: string;
  onEvent: ((type: string, data: string) => void) | undefined;
  onId: ((id: string) => void) | undefined;
  onRetry: ((ms: number) => void) | undefined;
  private pending = '';
  private data = '';
  private hasData = false;
  private type = '';
  private skipLF = false;
  private started = false;

  constructor(
    private readonly maxChars: number,
    lastEventId = '',
  ) {
    this.lastEventId = lastEventId;
  }

  push(input: string): void {
    let chunk = input;
    if (chunk === '') return;
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (this.skipLF) {
      this.skipLF = false;
      if (chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    }
    if (this.pending !== '' && chunk.indexOf('\n') === -1 && chunk.indexOf('\r') === -1) {
      // Still inside one long line: append without flattening the string over and over.
      this.pending += chunk;
      this.checkSize(this.pending.length);
      return;
    }
    const text = this.pending === '' ? chunk : this.pending + chunk;
    const n = text.length;
    let pos = 0;
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    for (;;) {
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
      if (lf === -1 && cr === -1) break;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        this.line(text, pos, lf);
        pos = lf + 1;
      } else {
        this.line(text, pos, cr);
        if (cr + 1 < n) pos = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        else {
          pos = n;
          this.skipLF = true; // A CRLF may be split between two chunks.
        }
      }
    }
    this.pending = pos === 0 ? text : pos >= n ? '' : text.slice(pos);
    if (this.pending !== '') this.checkSize(this.pending.length + this.data.length);
  }

  private line(text: string, start: number, end: number): void {
    if (start === end) return this.dispatch();
    if (text.charCodeAt(start) === 58) return; // ":" starts a comment
    // Only data, event, id and retry matter, so a colon further than six characters in means an unknown field.
    const limit = Math.min(end, start + 6);
    let colon = -1;
    for (let i = start; i < limit; i++) {
      if (text.charCodeAt(i) === 58) {
        colon = i;
        break;
      }
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      if (end - start > 5) return;
      field = text.slice(start, end);
      value = '';
    } else {
      field = text.slice(start, colon);
      let v = colon + 1;
      if (v < end && text.charCodeAt(v) === 32) v++;
      value = text.slice(v, end);
    }
    switch (field) {
      case 'data':
        if (this.hasData) {
          this.checkSize(this.data.length + value.length + 1);
          this.data += `\n${value}`;
        } else {
          this.checkSize(value.length);
          this.data = value;
          this.hasData = true;
        }
        return;
      case 'event':
        this.type = value;
        return;
      case 'id':
        if (value.indexOf('\0') === -1) {
          this.lastEventId = value;
          this.onId?.(value);
        }
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry?.(Number(value));
        return;
      default:
        return;
    }
  }

  private dispatch(): void {
    if (!this.hasData) {
      this.type = '';
      return;
    }
    const data = this.data;
    const type = this.type === '' ? 'message' : this.type;
    this.data = '';
    this.hasData = false;
    this.type = '';
    if (data !== '') this.onEvent?.(type, data);
  }

  private checkSize(chars: number): void {
    if (chars > this.maxChars) {
      this.data = '';
      this.pending = '';
      this.hasData = false;
      throw new Error(`an SSE event is larger than ${formatBytes(this.maxChars)}; refused`);
    }
  }
}

/** Bytes as a short human-readable size. */
export function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
