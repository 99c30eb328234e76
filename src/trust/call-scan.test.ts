import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFindings, scanCallPayload, sensitiveDataRefusal } from './call-scan.js';

const AWS = 'AKIAIOSFODNN7EXAMPLE';

describe('scanCallPayload', () => {
  test('off and clean payloads come back as the same objects (no copies)', () => {
    const args = { q: 'hello world', n: 3, nested: [{ a: 'plain text here' }] };
    for (const mode of ['off', 'detect', 'redact', 'block'] as const) {
      const r = scanCallPayload(args, 'arguments', mode);
      assert.equal(r.value, args);
      assert.equal(r.logged, args);
      assert.deepEqual(r.findings, []);
      assert.equal(r.blocked, false);
    }
    assert.deepEqual(scanCallPayload({ k: AWS }, 'arguments', 'off').findings, [], 'off scans nothing');
  });

  test('finds values at any depth and in keys, with paths and masked evidence; never mutates the input', () => {
    const args = { deep: { list: ['x', `key=${AWS}`] }, 'odd key': '4111 1111 1111 1111', [AWS]: 1 };
    const copy = structuredClone(args);
    const r = scanCallPayload(args, 'arguments', 'detect');
    assert.deepEqual(
      r.findings.map((f) => `${f.rule} ${f.path} ${f.evidence}`),
      ['sensitive-data.aws-access-key arguments.deep.list[1] AKIA…(20 chars)', 'sensitive-data.card-number arguments["odd key"] 4111…(19 chars)', 'sensitive-data.aws-access-key arguments (a key) AKIA…(20 chars)'],
    );
    assert.equal(r.value, args, 'detect forwards the input');
    assert.deepEqual(args, copy);
    assert.ok(!JSON.stringify(r.logged).includes(AWS) && !JSON.stringify(r.logged).includes('4111 1111'));
    assert.ok(!JSON.stringify(r.findings).includes(AWS), 'paths and evidence never carry the value');
  });

  test('redact replaces matches in what goes on; block marks the call', () => {
    const result = { content: [{ type: 'text', text: `here: ${AWS}` }, { type: 'image', data: AWS, mimeType: 'image/png' }], _meta: { k: AWS } };
    const red = scanCallPayload(result, 'result', 'redact');
    assert.deepEqual(red.value, { content: [{ type: 'text', text: 'here: [REDACTED:aws-access-key]' }, { type: 'image', data: AWS, mimeType: 'image/png' }], _meta: { k: AWS } }, 'media data and _meta are not text');
    assert.equal(red.value.content[1], result.content[1], 'untouched parts are shared');
    const blocked = scanCallPayload(result, 'result', 'block');
    assert.equal(blocked.blocked, true);
    assert.equal(blocked.value, result);
    const err = sensitiveDataRefusal(blocked, 'srv__tool');
    assert.equal(err.code, 'SWB_TRUST_SENSITIVE_DATA');
    assert.ok(!JSON.stringify(err.details).includes(AWS) && !err.message.includes(AWS));
    assert.match(describeFindings(blocked.findings), /^aws-access-key at result\.content\[0\]\.text \(AKIA…\(20 chars\)\)$/);
  });
});
