/**
 * The SSRF table: every blocked range and spelling, redirects to blocked hosts, names resolving to
 * loopback, all refused; an allowed host reachable. Real HTTP servers on 127.0.0.1 stand in for
 * "allowed hosts": the client's test-only `allowAddress` hook opens exactly their port.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SwitchboardError } from '../shared/index.js';
import { blockedAddressReason, createEgressClient, parseIPv4Literal, type EgressPolicy } from './index.js';

const BLOCKED: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['100.64.0.1', 'cgnat'],
  ['100.100.100.200', 'cgnat'],
  ['169.254.0.1', 'link-local'],
  ['169.254.169.254', 'metadata'],
  ['169.254.170.2', 'metadata'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.1', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  // Other spellings of 127.0.0.1 and 169.254.169.254.
  ['2130706433', 'loopback'],
  ['0x7f000001', 'loopback'],
  ['0177.0.0.1', 'loopback'],
  ['0x7f.0.0.1', 'loopback'],
  ['127.1', 'loopback'],
  ['0', 'unspecified'],
  ['2852039166', 'metadata'],
  ['0xa9fea9fe', 'metadata'],
  ['0251.0376.0251.0376', 'metadata'],
  // IPv6 and IPv6 carrying IPv4.
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:10.0.0.1', 'private'],
  ['::127.0.0.1', 'loopback'],
  ['64:ff9b::7f00:1', 'loopback'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['64:ff9b:1::1', 'private'],
  ['2002:7f00:1::1', 'loopback'],
  ['2002:a9fe:a9fe::1', 'metadata'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fd00:ec2::254', 'metadata'],
  ['fe80::1', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
  ['2001::1', 'reserved'],
  ['100::1', 'reserved'],
  ['fe80::1%eth0', 'invalid'],
  ['not-an-ip', 'invalid'],
];

const PUBLIC = ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

describe('address policy', () => {
  test('every blocked range and spelling is refused with its reason', () => {
    for (const [address, reason] of BLOCKED) assert.equal(blockedAddressReason(address), reason, address);
  });

  test('public addresses pass', () => {
    for (const address of PUBLIC) assert.equal(blockedAddressReason(address), undefined, address);
  });

  test('IPv4 spellings normalise like the URL parser', () => {
    for (const [text, want] of [['2130706433', '127.0.0.1'], ['0x7f.1', '127.0.0.1'], ['0177.0.0.01', '127.0.0.1'], ['10.1', '10.0.0.1'], ['1.2.3.4.', '1.2.3.4'], ['256.1.1.1', undefined], ['1.2.3.4.5', undefined], ['08.1.1.1', undefined], ['example.com', undefined]] as const) {
      assert.equal(parseIPv4Literal(text), want, text);
      if (want) assert.equal(new URL(`http://${text}/`).hostname, want, `WHATWG agrees on ${text}`);
    }
  });
});

async function refused(promise: Promise<unknown>, code = 'SWB_EGRESS_BLOCKED'): Promise<SwitchboardError> {
  const err = await promise.then(
    () => assert.fail('expected the request to be refused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SwitchboardError, String(err));
  assert.equal(err.code, code, err.message);
  return err;
}

describe('egress client', () => {
  let allowed: Server;
  let forbidden: Server;
  let allowedPort = 0;
  let forbiddenPort = 0;
  let forbiddenHits = 0;

  before(async () => {
    forbidden = createServer((_req, res) => {
      forbiddenHits += 1;
      res.end('internal secret');
    });
    allowed = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/redirect') {
        res.writeHead(302, { location: url.searchParams.get('to')! });
        return res.end();
      }
      if (url.pathname === '/big') return res.end('x'.repeat(64 * 1024));
      if (url.pathname === '/slow') return setTimeout(() => res.end('late'), 2000);
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, path: url.pathname, body, auth: req.headers.authorization ?? null, host: req.headers.host }));
      });
    });
    await new Promise<void>((r) => allowed.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => forbidden.listen(0, '127.0.0.1', r));
    allowedPort = (allowed.address() as AddressInfo).port;
    forbiddenPort = (forbidden.address() as AddressInfo).port;
  });
  after(() => {
    allowed.close();
    forbidden.close();
  });

  // Loopback is blocked; the test hook opens exactly the allowed server's port on 127.0.0.1.
  const client = () =>
    createEgressClient({
      allowAddress: (address, port) => address === '127.0.0.1' && port === allowedPort,
      resolve: async (host) => (host === 'api.test' || host === 'rebind.test' ? [{ address: '127.0.0.1', family: 4 }] : host === 'mixed.test' ? [{ address: '8.8.8.8', family: 4 }, { address: '10.0.0.1', family: 4 }] : []),
      maxResponseBytes: 16 * 1024,
      timeoutMs: 1000,
    });
  const policy = (): EgressPolicy => ({ allowedHosts: [{ host: 'api.test', port: allowedPort }, { host: '127.0.0.1' }], allowPublic: false });

  test('an allowed host is reachable, with the Host header and body intact', async () => {
    const res = await client().request(policy(), { method: 'POST', url: `http://api.test:${allowedPort}/echo`, headers: { authorization: 'Bearer t', 'Content-Type': 'text/plain' }, body: 'hello' });
    assert.equal(res.status, 200);
    const echoed = JSON.parse(res.text) as Record<string, unknown>;
    assert.deepEqual([echoed.method, echoed.path, echoed.body, echoed.auth, echoed.host], ['POST', '/echo', 'hello', 'Bearer t', `api.test:${allowedPort}`]);
  });

  test('a host missing from the allowed list is refused when public access is off', async () => {
    const err = await refused(client().request(policy(), { method: 'GET', url: 'http://example.com/' }));
    assert.equal(err.details?.reason, 'not_allowed');
  });

  test('every blocked IP literal is refused before any connection, even when allowed by name', async () => {
    const open: EgressPolicy = { allowedHosts: [], allowPublic: true };
    for (const [address] of BLOCKED.filter(([, reason]) => reason !== 'invalid')) {
      const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
      await refused(client().request(open, { method: 'GET', url: `http://${host}:${forbiddenPort}/` }));
    }
    await refused(client().request({ allowedHosts: [{ host: '127.0.0.1' }], allowPublic: false }, { method: 'GET', url: `http://127.0.0.1:${forbiddenPort}/` }));
    assert.equal(forbiddenHits, 0);
  });

  test('a redirect from an allowed host to a blocked one is refused', async () => {
    for (const to of [`http://127.0.0.1:${forbiddenPort}/`, `http://[::1]:${forbiddenPort}/`, 'http://169.254.169.254/latest/meta-data/', `http://2130706433:${forbiddenPort}/`, 'http://example.com/', 'file:///etc/passwd']) {
      await refused(client().request(policy(), { method: 'GET', url: `http://api.test:${allowedPort}/redirect?to=${encodeURIComponent(to)}` }));
    }
    assert.equal(forbiddenHits, 0);
  });

  test('a redirect within the allowed host is followed, and a cross-origin one drops credentials', async () => {
    const res = await client().request(policy(), { method: 'GET', url: `http://api.test:${allowedPort}/redirect?to=/landed`, headers: { authorization: 'Bearer t' } });
    assert.equal(JSON.parse(res.text).path, '/landed');
    assert.equal(JSON.parse(res.text).auth, 'Bearer t');
    assert.equal(res.url, `http://api.test:${allowedPort}/landed`);
    const cross = await client().request(policy(), { method: 'GET', url: `http://api.test:${allowedPort}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${allowedPort}/other`)}`, headers: { authorization: 'Bearer t' } });
    assert.equal(JSON.parse(cross.text).auth, null);
  });

  test('host names resolving to loopback or to any private address are refused', async () => {
    const open: EgressPolicy = { allowedHosts: [], allowPublic: true };
    await refused(createEgressClient().request(open, { method: 'GET', url: `http://localhost:${forbiddenPort}/` }));
    await refused(client().request({ allowedHosts: [{ host: 'rebind.test' }], allowPublic: false }, { method: 'GET', url: `http://rebind.test:${forbiddenPort}/` }));
    await refused(client().request(open, { method: 'GET', url: 'http://mixed.test/' }));
    await refused(client().request(open, { method: 'GET', url: 'http://metadata.google.internal/' }));
    assert.equal(forbiddenHits, 0);
  });

  test('schemes, credentials in URLs and odd methods are refused', async () => {
    const open: EgressPolicy = { allowedHosts: [], allowPublic: true };
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com/', 'not a url', `http://user:pw@api.test:${allowedPort}/`]) await refused(client().request(open, { method: 'GET', url }));
    await refused(client().request(policy(), { method: 'CONNECT', url: `http://api.test:${allowedPort}/` }));
  });

  test('response size and time are capped', async () => {
    await refused(client().request(policy(), { method: 'GET', url: `http://api.test:${allowedPort}/big` }), 'SWB_EGRESS_FAILED');
    const started = performance.now();
    await refused(client().request(policy(), { method: 'GET', url: `http://api.test:${allowedPort}/slow` }), 'SWB_EGRESS_FAILED');
    assert.ok(performance.now() - started < 1900, 'stopped at the 1 s timeout');
  });

  test('wildcard and port entries of the allowed list match whole names only', async () => {
    const c = client();
    const wild: EgressPolicy = { allowedHosts: [{ host: '*.example.com' }, { host: 'api.test', port: 1 }], allowPublic: false };
    await refused(c.check(wild, 'http://example.com.evil.net/'));
    await refused(c.check(wild, 'http://evilexample.com/'));
    await refused(c.check(wild, `http://api.test:${allowedPort}/`));
  });
});
