import { StringDecoder } from 'node:string_decoder';

/** One captured stderr line. */
export interface StderrLine {
  /** Epoch milliseconds when the first byte of the line arrived. */
  ts: number;
  /** The line without its terminator. */
  line: string;
}

/** Bounds of a {@link StderrLog}. */
export interface StderrLogOptions {
  /** Most lines kept; older ones are dropped first. Default 1000. */
  maxLines?: number;
  /** Most UTF-8 bytes kept over all lines. Default 256 KiB. */
  maxBytes?: number;
  /** A line longer than this (bytes) is split, so a newline-less stream cannot grow memory. Default 16 KiB. */
  maxLineBytes?: number;
}

/**
 * Bounded ring buffer of an upstream's stderr, kept for diagnostics (`servers logs`, crash reports).
 * Bounded both by line count and by total bytes; the oldest lines are evicted first.
 */
export class StderrLog {
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly maxLineBytes: number;
  private readonly ring: (StderrLine | undefined)[];
  private head = 0; // index of the oldest line
  private count = 0;
  private byteTotal = 0;
  private dropped = 0;
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private partialTs = 0;

  constructor(options: StderrLogOptions = {}) {
    this.maxLines = Math.max(1, Math.floor(options.maxLines ?? 1000));
    this.maxBytes = Math.max(1, Math.floor(options.maxBytes ?? 256 * 1024));
    this.maxLineBytes = Math.max(1, Math.min(this.maxBytes, Math.floor(options.maxLineBytes ?? 16 * 1024)));
    this.ring = new Array<StderrLine | undefined>(this.maxLines);
  }

  /** Feed a raw chunk; complete lines are stored, a trailing partial line waits for its newline (or {@link flush}). */
  append(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.addPartial(text.slice(start, nl));
      this.commit();
      start = nl + 1;
    }
    if (start < text.length) this.addPartial(text.slice(start));
  }

  /** Store a pending partial line, e.g. when the process has exited without a final newline. */
  flush(): void {
    this.addPartial(this.decoder.end());
    if (this.partial !== '') this.commit();
  }

  /** The most recent `limit` complete lines (all when omitted), oldest first. */
  lines(limit?: number): StderrLine[] {
    const n = limit === undefined ? this.count : Math.max(0, Math.min(this.count, Math.floor(limit)));
    const out: StderrLine[] = [];
    for (let i = this.count - n; i < this.count; i++) {
      const entry = this.ring[(this.head + i) % this.maxLines];
      if (entry) out.push({ ...entry });
    }
    return out;
  }

  /** Number of stored lines. */
  get size(): number {
    return this.count;
  }

  /** UTF-8 bytes held by stored lines. */
  get bytes(): number {
    return this.byteTotal;
  }

  /** Lines evicted so far to respect the bounds. */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Forget everything, including a pending partial line. */
  clear(): void {
    this.ring.fill(undefined);
    this.head = this.count = this.byteTotal = 0;
    this.partial = '';
    this.decoder = new StringDecoder('utf8');
  }

  private addPartial(text: string): void {
    if (text === '') return;
    if (this.partial === '') this.partialTs = Date.now();
    this.partial += text;
    while (Buffer.byteLength(this.partial) > this.maxLineBytes) {
      const buf = Buffer.from(this.partial);
      // Cut on a character boundary so no code point is split into replacement characters.
      let cut = this.maxLineBytes;
      while (cut > 0 && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--;
      if (cut === 0) cut = this.maxLineBytes;
      const rest = buf.subarray(cut).toString('utf8');
      this.partial = buf.subarray(0, cut).toString('utf8');
      this.commit();
      this.partial = rest;
      this.partialTs = Date.now();
    }
  }

  private commit(): void {
    const line = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    const ts = this.partial === '' ? Date.now() : this.partialTs;
    this.partial = '';
    const size = Buffer.byteLength(line);
    while (this.count > 0 && (this.count >= this.maxLines || this.byteTotal + size > this.maxBytes)) this.evict();
    this.ring[(this.head + this.count) % this.maxLines] = { ts, line };
    this.count++;
    this.byteTotal += size;
  }

  private evict(): void {
    const entry = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.maxLines;
    this.count--;
    this.byteTotal -= entry ? Buffer.byteLength(entry.line) : 0;
    this.dropped++;
  }
}
