import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastMs = -1;
let lastRandom: number[] = [];

/**
 * A ULID (26 characters, Crockford base32): sortable by creation time, unique without a round trip to
 * the database, so the id can travel in the live event before the row is written. Monotonic within a
 * millisecond.
 */
export function newRecordId(now = Date.now()): string {
  if (now === lastMs) {
    // Increment the random part so ids made in the same millisecond still sort in creation order.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      if (lastRandom[i]! < 31) {
        lastRandom[i]!++;
        break;
      }
      lastRandom[i] = 0;
    }
  } else {
    lastMs = now;
    lastRandom = [...randomBytes(16)].map((b) => b & 31);
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  return time + lastRandom.map((d) => ALPHABET[d]).join('');
}
