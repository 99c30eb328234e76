import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

/**
 * The built web console (`vite build web` → dist/web): which file answers a GET, and with which
 * headers. No Fastify here, so the rules can be tested on their own.
 */

/** Where the build lands; the same relative path from src/api/ (tsx) and dist/api/ (compiled). */
export const DEFAULT_CONSOLE_DIR = resolve(import.meta.dirname, '../../dist/web');

/** Paths owned by the API and MCP faces: an unknown GET under them stays a JSON 404, never the console. */
const API_PREFIXES = ['/api', '/auth', '/mcp', '/sse', '/messages', '/health', '/events', '/docs'];

/**
 * The console is a single-page app: scripts only from its own origin, no framing, nothing inline but
 * styles (React style attributes and the editor's injected sheets need them). Images may be data:/blob:
 * URLs because tool results carry base64 images.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** What to send for one GET: a file with its headers, or nothing (the caller answers 404). */
export interface ConsoleAsset {
  status: 200 | 503;
  body: Buffer | string;
  headers: Record<string, string>;
}

/** Whether a path belongs to the API/MCP faces rather than the console. */
export function isApiPath(path: string): boolean {
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Headers every console response carries. */
function baseHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONSOLE_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

/**
 * Hashed build output never changes under its name, so browsers may keep it for a year; everything
 * else (index.html above all, which names the current hashes) is revalidated on every load.
 */
export function cacheControlFor(relPath: string): string {
  return relPath.startsWith(`assets${sep}`) || relPath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** A file inside `dir` for a URL path; undefined for traversal attempts and undecodable paths. */
function fileWithin(dir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const full = join(dir, rel);
  return full === dir || full.startsWith(dir + sep) ? full : undefined;
}

async function readIfFile(path: string): Promise<Buffer | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path);
  } catch {
    return undefined;
  }
}

function fileAnswer(body: Buffer, relPath: string): ConsoleAsset {
  return {
    status: 200,
    body,
    headers: {
      ...baseHeaders(),
      'content-type': TYPES[extname(relPath).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cacheControlFor(relPath),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    },
  };
}

/**
 * Resolve a GET for the console. An existing file is served as is; a path without a file extension
 * is a client-side route and gets index.html (the SPA fallback); a missing file with an extension is
 * undefined, so the caller answers 404 instead of handing HTML to a script tag.
 */
export async function resolveConsoleAsset(dir: string, urlPath: string): Promise<ConsoleAsset | undefined> {
  const root = resolve(dir);
  const path = urlPath.split('?')[0] ?? '/';
  const file = path === '/' ? undefined : fileWithin(root, path);
  if (file) {
    const body = await readIfFile(file);
    if (body) return fileAnswer(body, file.slice(root.length + 1));
    if (extname(file) !== '') return undefined;
  } else if (path !== '/') return undefined;
  const index = await readIfFile(join(root, 'index.html'));
  if (index) return fileAnswer(index, 'index.html');
  return {
    status: 503,
    body: '<!doctype html><meta charset="utf-8"><title>Switchboard</title><p>The web console is not built. Run <code>npm run build:web</code> (or <code>npm install</code>), then reload. The REST API is at <a href="/docs">/docs</a>.</p>',
    headers: { ...baseHeaders(), 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  };
}
