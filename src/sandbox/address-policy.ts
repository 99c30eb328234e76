/**
 * Which IP addresses a hosted tool may never reach: loopback, private, link-local, CGNAT, multicast,
 * unspecified, reserved, documentation and cloud-metadata ranges, for IPv4 and IPv6 — including IPv6
 * forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) and the decimal, octal and hex
 * spellings of IPv4. Pure functions; the egress client applies them to every resolved address.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is refused; `undefined` for a public address. */
export type BlockReason =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'broadcast'
  | 'metadata'
  | 'invalid';

interface Range4 {
  base: number;
  bits: number;
  reason: BlockReason;
}

const V4_RANGES: Range4[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'metadata'],
  ['169.254.170.2', 32, 'metadata'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
].map(([ip, bits, reason]) => ({ base: v4ToInt(ip as string)!, bits: bits as number, reason: reason as BlockReason }));

/** Host names that are cloud metadata services whatever they resolve to. */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

function v4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = value * 256 + Number(p);
  }
  return value;
}

function intToV4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * The canonical dotted form of an IPv4 literal in any spelling the WHATWG URL parser and inet_aton
 * accept: decimal (`2130706433`), octal (`0177.0.0.1`), hex (`0x7f.1`), and shortened (`127.1`).
 * `undefined` when the text is not an IPv4 literal (a host name).
 */
export function parseIPv4Literal(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let n: number;
    if (/^0x[0-9a-f]*$/i.test(part)) n = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) n = parseInt(part.slice(1), 8);
    else if (/^(0|[1-9]\d*)$/.test(part)) n = Number(part);
    else return undefined;
    if (!Number.isFinite(n)) return undefined;
    numbers.push(n);
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  let value = last;
  numbers.forEach((n, i) => (value += n * 256 ** (3 - i)));
  return intToV4(value);
}

/** Sixteen bytes of an IPv6 literal (zone ids refused), or undefined. */
export function parseIPv6(text: string): Uint8Array | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let head = text;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = v4ToInt(v4[1]!);
    if (n === undefined) return undefined;
    tail.push((n >>> 16) & 0xffff, n & 0xffff);
    head = text.slice(0, -v4[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const words = (s: string | undefined) => (s ? s.split(':').filter((w) => w !== '').map((w) => parseInt(w, 16)) : []);
  const l = words(left);
  const r = [...words(right), ...tail];
  const fill = 8 - l.length - r.length;
  const all = right === undefined && !head.includes('::') ? [...l, ...tail] : [...l, ...new Array(Math.max(0, fill)).fill(0), ...r];
  if (all.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 255;
  });
  return bytes;
}

function classifyV4(ip: string): BlockReason | undefined {
  const value = v4ToInt(ip);
  if (value === undefined) return 'invalid';
  for (const r of V4_RANGES) {
    const mask = r.bits === 0 ? 0 : (~0 << (32 - r.bits)) >>> 0;
    if (((value & mask) >>> 0) === ((r.base & mask) >>> 0)) return r.reason;
  }
  return undefined;
}

function prefixIs(bytes: Uint8Array, prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const bit = 7 - (i & 7);
    if (((bytes[byte]! >> bit) & 1) !== (((prefix[byte] ?? 0) >> bit) & 1)) return false;
  }
  return true;
}

function embeddedV4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

function classifyV6(bytes: Uint8Array): BlockReason | undefined {
  const zeroUpTo = (n: number) => bytes.subarray(0, n).every((b) => b === 0);
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && bytes[15] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d: judge the IPv4 address inside.
  if (zeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(embeddedV4(bytes, 12)) ?? undefined;
  if (zeroUpTo(12)) return classifyV4(embeddedV4(bytes, 12)) ?? 'reserved';
  // NAT64 well-known prefix 64:ff9b::/96 carries an IPv4 address; the local-use 64:ff9b:1::/48 is private.
  if (prefixIs(bytes, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return classifyV4(embeddedV4(bytes, 12));
  if (prefixIs(bytes, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48)) return 'private';
  // 6to4 2002::/16 embeds an IPv4 address in bits 16..48.
  if (prefixIs(bytes, [0x20, 0x02], 16)) return classifyV4(embeddedV4(bytes, 2));
  const table: [number[], number, BlockReason][] = [
    [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard-only
    [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
    [[0x3f, 0xff], 20, 'documentation'],
    [[0x20, 0x01, 0x00, 0x00], 23, 'reserved'], // IETF protocol assignments, Teredo
    [[0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54], 128, 'metadata'], // AWS IMDS over IPv6
    [[0xfc], 7, 'private'], // unique local
    [[0xfe, 0x80], 10, 'link-local'],
    [[0xfe, 0xc0], 10, 'private'], // deprecated site-local
    [[0xff], 8, 'multicast'],
  ];
  for (const [prefix, bits, reason] of table) if (prefixIs(bytes, prefix, bits)) return reason;
  return undefined;
}

/**
 * Why an IP address (v4 or v6, any spelling, with or without brackets) is refused, or undefined when
 * it is a public address. Anything that does not parse as an address is 'invalid' (refused).
 */
export function blockedAddressReason(address: string): BlockReason | undefined {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(text)) return classifyV4(text);
  const v4 = parseIPv4Literal(text);
  if (v4 !== undefined) return classifyV4(v4);
  const v6 = parseIPv6(text);
  return v6 ? classifyV6(v6) : 'invalid';
}

/** True when the text is an IP literal (in any IPv4 spelling, or IPv6 with or without brackets). */
export function isIpLiteral(host: string): boolean {
  const text = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIPv4(text) || isIPv6(text) || parseIPv4Literal(text) !== undefined;
}
