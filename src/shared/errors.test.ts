import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderErrorsDoc } from '../../scripts/errors-doc.js';
import { ERROR_CODES, errorEnvelope, renderError, SwitchboardError, toSwitchboardError } from './errors.js';

test('docs/errors.md matches the error table', () => {
  assert.equal(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8'), renderErrorsDoc());
});

test('every code has a sane HTTP status, JSON-RPC code and hint', () => {
  for (const [code, e] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^SWB_[A-Z]+_[A-Z_]+$/);
    assert.ok(e.http >= 400 && e.http < 600, code);
    assert.ok(e.jsonrpc <= -32000 && e.jsonrpc >= -32768, code);
    assert.ok(e.hint.length > 10, code);
  }
});

test('unknown failures become SWB_INTERNAL_ERROR without leaking the original message', () => {
  const e = toSwitchboardError(new Error('password=hunter2 at /secret/path.ts:12'));
  assert.equal(e.code, 'SWB_INTERNAL_ERROR');
  assert.doesNotMatch(renderError(e), /hunter2|secret/);
  assert.deepEqual(errorEnvelope(new SwitchboardError('SWB_TOOL_NOT_FOUND', 'No tool x', { name: 'x' })), {
    error: { code: 'SWB_TOOL_NOT_FOUND', message: 'No tool x', details: { name: 'x' }, hint: ERROR_CODES.SWB_TOOL_NOT_FOUND.hint },
  });
});
