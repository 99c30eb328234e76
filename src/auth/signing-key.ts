import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError } from '../shared/index.js';

/** File in the data directory holding the JWT signing key (mode 0600, created on first use). */
export const SIGNING_KEY_FILE = 'jwt-signing.key';
const MIN_SECRET_CHARS = 32;

/**
 * The HS256 key for access tokens. `SWITCHBOARD_JWT_SECRET` wins (replicas behind a load balancer must
 * share it); otherwise a random key kept in the data directory, so tokens survive a restart. Created
 * with O_EXCL, so two processes starting together agree on one key.
 */
export function loadSigningKey(dataDir: string, env: Readonly<Record<string, string | undefined>>): Uint8Array {
  const fromEnv = env['SWITCHBOARD_JWT_SECRET'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < MIN_SECRET_CHARS) throw new SwitchboardError('SWB_CONFIG_INVALID', `SWITCHBOARD_JWT_SECRET must be at least ${MIN_SECRET_CHARS} characters`);
    return new TextEncoder().encode(fromEnv);
  }
  const path = join(dataDir, SIGNING_KEY_FILE);
  try {
    writeFileSync(path, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = readFileSync(path, 'utf8').trim();
  if (text.length < MIN_SECRET_CHARS) throw new SwitchboardError('SWB_STORE_UNAVAILABLE', `${path} is damaged (too short); delete it to generate a new key (signed-in users must log in again)`);
  return new TextEncoder().encode(text);
}
