import { SwitchboardError } from '../shared/index.js';

/**
 * Cursor pagination over a merged list. The cursor is opaque to clients: an offset bound to the
 * catalogue version it was issued for, so a cursor from an older catalogue restarts cleanly
 * instead of skipping or repeating items silently.
 */
export function paginate<T>(items: readonly T[], cursor: unknown, pageSize: number, version: number): { page: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    offset = decodeCursor(cursor, version);
  }
  const page = items.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return next < items.length ? { page, nextCursor: encodeCursor(next, version) } : { page };
}

function encodeCursor(offset: number, version: number): string {
  return Buffer.from(JSON.stringify({ o: offset, v: version })).toString('base64url');
}

function decodeCursor(cursor: unknown, version: number): number {
  if (typeof cursor !== 'string') throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const o = (parsed as { o?: unknown } | null)?.o;
  const v = (parsed as { v?: unknown } | null)?.v;
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || typeof v !== 'number') throw invalid();
  // The list changed since this cursor was issued: start over rather than return a shifted page.
  return v === version ? o : 0;
}

function invalid(): SwitchboardError {
  return new SwitchboardError('SWB_INVALID_ARGUMENT', 'Invalid cursor');
}
