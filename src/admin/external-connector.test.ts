import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SwitchboardError } from '../shared/index.js';
import { checkSourceUrl, parseSourceUrl, resolveHeaders, type HostResolver } from './external-connector.js';

const answers =
  (table: Record<string, string[]>): HostResolver =>
  async (host) =>
    (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const resolve = answers({
  'mcp.example.com': ['93.184.216.34'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.216.34', '127.0.0.1'],
  'meta.example.com': ['169.254.169.254'],
});

async function code(url: string, egress: Parameters<typeof checkSourceUrl>[1], r: HostResolver | 'no-dns' = resolve): Promise<string> {
  try {
    await checkSourceUrl(parseSourceUrl(url), egress, r === 'no-dns' ? undefined : r);
    return 'ok';
  } catch (err) {
    return (err as SwitchboardError).code;
  }
}

describe('external source egress rule', () => {
  test('the host must be listed, or the policy public', async () => {
    const listed = { allowedHosts: [{ host: 'mcp.example.com' }], allowPublic: false };
    assert.equal(await code('https://mcp.example.com/mcp', listed), 'ok');
    assert.equal(await code('https://other.example.com/mcp', listed), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('https://mcp.example.com:8443/mcp', { allowedHosts: [{ host: 'mcp.example.com', port: 443 }], allowPublic: false }), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('https://mcp.example.com/mcp', { allowedHosts: [], allowPublic: true }), 'ok');
  });

  test('non-public addresses need an entry naming that exact host; metadata never passes', async () => {
    assert.equal(await code('http://internal.example.com/', { allowedHosts: [{ host: '*.example.com' }], allowPublic: false }), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('http://internal.example.com/', { allowedHosts: [], allowPublic: true }), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('http://internal.example.com/', { allowedHosts: [{ host: 'internal.example.com' }], allowPublic: false }), 'ok');
    assert.equal(await code('http://127.0.0.1:9000/', { allowedHosts: [{ host: '127.0.0.1', port: 9000 }], allowPublic: false }), 'ok');
    assert.equal(await code('http://0x7f.1:9000/', { allowedHosts: [], allowPublic: true }), 'SWB_EXTERNAL_HOST_BLOCKED');
    // One private answer among public ones is refused (no rebinding onto it later).
    assert.equal(await code('http://mixed.example.com/', { allowedHosts: [], allowPublic: true }), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('http://meta.example.com/', { allowedHosts: [{ host: 'meta.example.com' }], allowPublic: false }), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('http://169.254.169.254/', { allowedHosts: [{ host: '169.254.169.254' }], allowPublic: false }), 'SWB_EXTERNAL_HOST_BLOCKED');
    assert.equal(await code('http://metadata.google.internal/', { allowedHosts: [{ host: 'metadata.google.internal' }], allowPublic: false }), 'SWB_EXTERNAL_HOST_BLOCKED');
  });

  test('without a resolver only what needs no DNS is checked; an unresolvable name is unreachable', async () => {
    assert.equal(await code('http://internal.example.com/', { allowedHosts: [], allowPublic: true }, 'no-dns'), 'ok');
    assert.equal(await code('http://nowhere.example.com/', { allowedHosts: [], allowPublic: true }), 'SWB_EXTERNAL_SOURCE_UNREACHABLE');
  });

  test('URLs: http(s) only, no credentials', () => {
    assert.throws(() => parseSourceUrl('ftp://x/'), /http or https/);
    assert.throws(() => parseSourceUrl('http://a:b@x/'), /Credentials/);
    assert.throws(() => parseSourceUrl('x'), /absolute URL/);
  });

  test('headers: secret references filled in; a missing value is named, never guessed', () => {
    assert.deepEqual(resolveHeaders({ Authorization: 'Bearer ${secret:T}', 'X-Team': 'a' }, { T: 'tok' }, 's'), { Authorization: 'Bearer tok', 'X-Team': 'a' });
    assert.throws(() => resolveHeaders({ Authorization: 'Bearer ${secret:T}' }, {}, 's'), (err: SwitchboardError) => err.code === 'SWB_SECRET_MISSING' && /\$\{secret:T\}/.test(err.message));
  });
});
