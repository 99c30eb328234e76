import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError } from '../../shared/index.js';

/** The environment variable that supplies the state key (base64 or hex of 32 bytes). */
export const STATE_KEY_ENV = 'SWITCHBOARD_STATE_KEY';
/** Keys still accepted for opening (comma-separated), so a rotation does not break state in flight. */
export const PREVIOUS_STATE_KEYS_ENV = 'SWITCHBOARD_STATE_KEY_PREVIOUS';
/** The file the key is generated into when the environment does not supply one. */
export const STATE_KEY_FILE = 'state.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

/**
 * Seals small JSON payloads that travel through clients (the `requestState` of a 2026-era
 * input-required round) with AES-256-GCM: a client can carry them but neither read nor alter them,
 * and state sealed by another gateway key (or for another purpose) does not open. The first key
 * seals; every key opens, so a rotated key keeps state already handed out valid.
 */
export class StateSeal {
  private readonly keys: Buffer[];

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('StateSeal needs at least one key');
    for (const k of keys) if (k.length !== KEY_BYTES) throw new Error(`state keys are ${KEY_BYTES} bytes`);
    this.keys = [...keys];
  }

  /** `purpose` is bound into the ciphertext: state sealed for one use cannot be replayed for another. */
  seal(purpose: string, payload: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(Buffer.from(`switchboard/${purpose}/${VERSION}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The payload, or undefined when the text is not something this gateway sealed for `purpose`. */
  open(purpose: string, text: string): unknown {
    if (typeof text !== 'string' || !text.startsWith(`${VERSION}.`)) return undefined;
    const raw = Buffer.from(text.slice(VERSION.length + 1), 'base64url');
    // base64url decoding skips characters it does not know; insist the text round-trips.
    if (raw.length < IV_BYTES + TAG_BYTES + 1 || raw.toString('base64url') !== text.slice(VERSION.length + 1)) return undefined;
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(`switchboard/${purpose}/${VERSION}`));
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
        return JSON.parse(plain);
      } catch {
        /* not this key */
      }
    }
    return undefined;
  }
}

function decodeKey(text: string, origin: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new SwitchboardError('SWB_CONFIG_INVALID', `${origin} must be ${KEY_BYTES} bytes (64 hex or 44 base64 characters); it decodes to ${bytes.length}`);
  }
  return bytes;
}

/**
 * The gateway's state keys: `SWITCHBOARD_STATE_KEY` (replicas behind one load balancer must share it)
 * or `<dataDir>/state.key`, generated on first use (32 random bytes, base64, mode 0600, O_EXCL so two
 * processes starting together agree), then the previous keys from `SWITCHBOARD_STATE_KEY_PREVIOUS`.
 */
export function loadStateKeys(dataDir: string, env: Readonly<Record<string, string | undefined>>): Buffer[] {
  const previous = (env[PREVIOUS_STATE_KEYS_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => decodeKey(s, `${PREVIOUS_STATE_KEYS_ENV}[${i}]`));
  const fromEnv = env[STATE_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return [decodeKey(fromEnv, STATE_KEY_ENV), ...previous];
  const path = join(dataDir, STATE_KEY_FILE);
  if (!existsSync(path)) {
    try {
      writeFileSync(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SwitchboardError('SWB_STORE_UNAVAILABLE', `Cannot write the state key file ${path}: ${(err as Error).message}`, { file: path });
      }
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return [decodeKey(readFileSync(path, 'utf8'), path), ...previous];
}
