import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { boundJson, createRedactor, isSensitiveKey, REDACTED } from './redact.js';
import { csvCell, csvRow, encodeExport } from './export-format.js';
import { newRecordId } from './record-id.js';

describe('redaction', () => {
  test('secret-looking keys are redacted, look-alikes are not', () => {
    for (const k of ['password', 'db_password', 'Authorization', 'x-api-key', 'api_key', 'apiKey', 'GITHUB_TOKEN', 'access_token', 'client_secret', 'Cookie', 'set-cookie', 'credentials', 'private_key', 'secrets']) {
      assert.equal(isSensitiveKey(k), true, k);
    }
    for (const k of ['max_tokens', 'maxTokens', 'tokenizer', 'name', 'path', 'query', 'secret_name', 'author']) assert.equal(isSensitiveKey(k), false, k);
  });

  test('values under sensitive keys, registered secrets anywhere, token shapes and URL credentials', () => {
    const r = createRedactor();
    const off = r.registerSecretValues(() => ['hunter2-the-value']);
    const out = r.value({
      password: 'p4ss',
      nested: { headers: { Authorization: 'Bearer abc' }, note: 'my pw is hunter2-the-value, ok' },
      list: ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2ln', 'ghp_abcdefghijklmnopqrstuvwxyz012345'],
      url: 'https://api.example.com/x?token=abcdef&page=2',
      max_tokens: 100,
      empty_secret: '',
    }) as any;
    assert.equal(out.password, REDACTED);
    assert.equal(out.nested.headers.Authorization, REDACTED);
    assert.equal(out.nested.note, `my pw is ${REDACTED}, ok`);
    assert.equal(out.list[0], `Bearer ${REDACTED}`);
    assert.equal(out.list[1], REDACTED);
    assert.equal(out.url, `https://api.example.com/x?token=${REDACTED}&page=2`);
    assert.equal(out.max_tokens, 100);
    assert.equal(out.empty_secret, '');
    off();
    assert.equal(r.text('hunter2-the-value'), 'hunter2-the-value');
  });

  test('a failing secret source does not stop redaction; short values are ignored', () => {
    const r = createRedactor();
    r.registerSecretValues(() => {
      throw new Error('boom');
    });
    r.registerSecretValues(() => ['abc', 'longer-secret']);
    assert.equal(r.text('abc longer-secret'), `abc ${REDACTED}`);
  });

  test('size bounds: strings, arrays, depth; the input is not mutated', () => {
    const r = createRedactor({ maxString: 10, maxItems: 3, maxDepth: 2 });
    const input = { s: 'x'.repeat(50), a: [1, 2, 3, 4, 5], d: { e: { f: 1 } }, token: 'zzz' };
    const out = r.value(input) as any;
    assert.match(out.s, /^x{10}…\[\+40 chars\]$/);
    assert.deepEqual(out.a, [1, 2, 3, '[+2 items]']);
    assert.deepEqual(out.d, { e: '[…]' });
    assert.equal(input.token, 'zzz');
    assert.deepEqual(boundJson({ big: 'y'.repeat(100) }, 20), { truncated: true, bytes: 110, preview: '{"big":"yyyyyyyyyyyy' });
  });
});

describe('export formats', () => {
  test('CSV cells: quoting and formula injection', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"');
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell(-5), '-5');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell({ a: 1 }), '"{""a"":1}"');
  });

  test('a CSV row has one cell per column and a JSONL export one line per record', async () => {
    const e = { id: '1', type: 'tool_call', at: '2025-01-01T00:00:00.000Z', status: 'ok', caller: { kind: 'api_key', id: 'k1', name: 'ci' }, session_id: null, method: 'tools/call', server: 's', tool: 't', target: null, duration_ms: 5, result_bytes: 10, request_id: '7', error_code: null, error_message: null, reason: null, arguments: { a: 'x,y' } };
    assert.equal(csvRow(e).trimEnd().split(',').length, 22); // 21 columns, one cell holds a quoted comma
    const chunks: string[] = [];
    async function* two() {
      yield e;
      yield { ...e, id: '2' };
    }
    for await (const c of encodeExport(two(), 'jsonl')) chunks.push(c);
    assert.equal(chunks.length, 2);
    assert.equal(JSON.parse(chunks[1]!).id, '2');
  });

  test('record ids sort in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 50 }, () => newRecordId(1_700_000_000_000));
    ids.push(newRecordId(1_700_000_000_001));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.match(ids[0]!, /^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('redaction of long text', () => {
  test('a secret straddling the kept length leaves no fragment; huge strings are cut cheaply', () => {
    const r = createRedactor({ maxString: 100 });
    const secret = 'S'.repeat(40) + 'tail-of-the-secret';
    r.registerSecretValues(() => [secret]);
    const out = r.text('x'.repeat(80) + secret + 'y'.repeat(1_000_000));
    assert.equal(out.startsWith(`${'x'.repeat(80)}${REDACTED}`), true, out.slice(0, 120));
    assert.equal(out.includes('SSSS'), false);
    assert.match(out, /…\[\+\d+ chars\]$/);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) r.value({ blob: 'z'.repeat(2_000_000) });
    assert.ok(performance.now() - t0 < 500, 'bounded work per value');
  });
});
