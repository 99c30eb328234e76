/**
 * The framed protocol on the sandbox process's stdin/stdout: u32 big-endian length (of kind + body),
 * u8 kind (1 JSON, 2 raw bytes), body. runtime/runner.mjs speaks the same format.
 */

export type Frame = { kind: 'json'; message: Record<string, unknown> } | { kind: 'bytes'; bytes: Buffer };

/** One JSON frame. */
export function encodeFrame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(5);
  header.writeUInt32BE(body.length + 1, 0);
  header.writeUInt8(1, 4);
  return Buffer.concat([header, body]);
}

/** Splits a byte stream into frames; refuses a frame announcing more than `maxFrameBytes`. */
export class FrameDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  constructor(private readonly maxFrameBytes: number) {}

  /** The frames completed by this chunk. Throws on a malformed or oversized frame. */
  push(chunk: Buffer): Frame[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length < 1 || length > this.maxFrameBytes) throw new Error(`frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`);
      if (this.buffered.length < 4 + length) break;
      const kind = this.buffered.readUInt8(4);
      const body = this.buffered.subarray(5, 4 + length);
      this.buffered = this.buffered.subarray(4 + length);
      if (kind === 2) frames.push({ kind: 'bytes', bytes: Buffer.from(body) });
      else if (kind === 1) {
        const message = JSON.parse(body.toString('utf8')) as unknown;
        if (!message || typeof message !== 'object' || Array.isArray(message)) throw new Error('frame is not a JSON object');
        frames.push({ kind: 'json', message: message as Record<string, unknown> });
      } else throw new Error(`unknown frame kind ${kind}`);
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.buffered.length;
  }
}
