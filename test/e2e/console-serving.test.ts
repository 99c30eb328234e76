/**
 * The gateway serves the web console at `/`: built files with cache and security headers, index.html
 * for client-side routes, and JSON 404s (never HTML) for API paths and missing assets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { CONSOLE_CSP, cacheControlFor, isApiPath } from '../../src/api/console-assets.js';
import { config, startGateway, tempDir, type Gateway } from './harness.js';

const INDEX = '<!doctype html><title>console</title><script type="module" src="/assets/app-1a2b3c.js"></script>';

function fakeBuild(): string {
  const dir = tempDir('sb-console-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("app")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('web console serving', () => {
  let gw: Gateway;
  let bare: Gateway;
  const KEY = 'console-serving-key';

  before(async () => {
    gw = await startGateway(config([], { allowUnauthenticatedLoopback: false }), { env: { SWITCHBOARD_CONSOLE_DIR: fakeBuild(), SWITCHBOARD_API_KEY: KEY } });
    bare = await startGateway(config([]), { env: { SWITCHBOARD_CONSOLE_DIR: join(tempDir('sb-console-none-'), 'missing') } });
  });
  after(async () => {
    await gw?.stop();
    await bare?.stop();
  });

  test('/ is index.html, revalidated on every load, with the CSP and no credentials needed', async () => {
    const res = await fetch(`${gw.url}/`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), INDEX);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('content-security-policy'), CONSOLE_CSP);
    assert.match(CONSOLE_CSP, /script-src 'self'(;|$)/, 'no inline or remote scripts');
    assert.match(CONSOLE_CSP, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  });

  test('client-side routes get index.html (SPA fallback), query strings included', async () => {
    for (const path of ['/servers', '/servers/everything?tab=tools', '/activity/', '/some/deep/link']) {
      const res = await fetch(`${gw.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), INDEX, path);
    }
  });

  test('hashed assets are cached for a year; other files revalidate; ETags give 304', async () => {
    const js = await fetch(`${gw.url}/assets/app-1a2b3c.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const svg = await fetch(`${gw.url}/favicon.svg`);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.equal(svg.headers.get('cache-control'), 'no-cache');
    const etag = svg.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${gw.url}/favicon.svg`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const head = await fetch(`${gw.url}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('a missing asset is a JSON 404, not index.html', async () => {
    const res = await fetch(`${gw.url}/assets/gone-123.js`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error.code, 'SWB_HTTP_ROUTE_NOT_FOUND');
  });

  test('unknown API paths stay JSON 404 envelopes; the API itself is unaffected', async () => {
    for (const path of ['/api/nope', '/auth/nothing', '/mcp/unknown', '/health/nope', '/events/x', '/docs/nope.json']) {
      const res = await fetch(`${gw.url}${path}`);
      assert.equal(res.status, 404, path);
      const body = await res.json();
      assert.equal(body.error.code, 'SWB_HTTP_ROUTE_NOT_FOUND', path);
      assert.ok(body.error.message.includes(path.split('?')[0]), path);
    }
    assert.equal((await fetch(`${gw.url}/api/dashboard`)).status, 401, 'guarded API routes still need credentials');
    assert.equal((await fetch(`${gw.url}/api/dashboard`, { headers: { authorization: `Bearer ${KEY}` } })).status, 200);
    assert.equal((await fetch(`${gw.url}/health`)).status, 200);
    assert.match(await (await fetch(`${gw.url}/docs`)).text(), /swagger/i, '/docs stays Swagger UI');
  });

  test('no path escapes the build folder', async () => {
    for (const path of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/%00', '/%E0%A4%A']) {
      const res = await fetch(`${gw.url}${path}`);
      const text = await res.text();
      assert.ok(!text.includes('"devDependencies"'), `${path} must not serve files outside the build`);
      assert.ok(res.status === 404 || (res.status === 200 && text === INDEX) || res.status === 400, `${path}: ${res.status}`);
    }
  });

  test('the Host check guards the console like the API (DNS rebinding)', async () => {
    // fetch() does not let a caller choose the Host header, so this one goes through node:http.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${gw.url}/`, { headers: { host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 403);
  });

  test('without a build, / explains how to build the console', async () => {
    const res = await fetch(`${bare.url}/`);
    assert.equal(res.status, 503);
    assert.match(await res.text(), /npm run build:web/);
  });

  test('path rules', () => {
    assert.equal(isApiPath('/api'), true);
    assert.equal(isApiPath('/api/servers'), true);
    assert.equal(isApiPath('/apiary'), false);
    assert.equal(isApiPath('/servers'), false);
    assert.equal(cacheControlFor('assets/index-abc.js'), 'public, max-age=31536000, immutable');
    assert.equal(cacheControlFor('index.html'), 'no-cache');
  });
});
