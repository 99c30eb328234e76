import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unifiedDiff } from './unified-diff.js';
import { maskSecrets, truncate, MASK } from './redaction.js';

const labels = { from: 'v1', to: 'v2' };

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', labels), '');
});

test('a changed line in the middle: one hunk with three lines of context each side', () => {
  const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
  const b = a.replace('line 10', 'line ten');
  assert.equal(unifiedDiff(a, b, labels), ['--- v1', '+++ v2', '@@ -7,7 +7,7 @@', ' line 7', ' line 8', ' line 9', '-line 10', '+line ten', ' line 11', ' line 12', ' line 13', ''].join('\n'));
});

test('distant changes give separate hunks; additions and removals count correctly', () => {
  const a = Array.from({ length: 30 }, (_, i) => `l${i + 1}`).join('\n');
  const lines = a.split('\n');
  lines.splice(1, 0, 'inserted');
  lines.splice(lines.indexOf('l28'), 1);
  const diff = unifiedDiff(a, lines.join('\n'), labels);
  const hunks = diff.split('\n').filter((l) => l.startsWith('@@'));
  assert.deepEqual(hunks, ['@@ -1,4 +1,5 @@', '@@ -25,6 +26,5 @@']);
  assert.ok(diff.includes('\n+inserted\n') && diff.includes('\n-l28\n'));
});

test('from empty to something, and back', () => {
  assert.equal(unifiedDiff('', 'x\ny\n', labels), '--- v1\n+++ v2\n@@ -0,0 +1,2 @@\n+x\n+y\n');
  assert.equal(unifiedDiff('x\n', '', labels), '--- v1\n+++ v2\n@@ -1,1 +0,0 @@\n-x\n');
});

test('secret values are masked raw and JSON-escaped, longest first; short values are left alone', () => {
  const secret = 'pa"ss\\word-123';
  const text = `raw ${secret} json ${JSON.stringify({ k: secret })} ab`;
  const masked = maskSecrets(text, [secret, 'ab', 'word']);
  assert.ok(!masked.includes('pa"ss') && !masked.includes('pa\\"ss'), masked);
  assert.equal(masked.split(MASK).length - 1, 2);
  assert.ok(masked.endsWith(' ab'), 'a two-character value is not masked');
});

test('truncate keeps at most the byte budget and says how much was cut', () => {
  assert.equal(truncate('short', 10), 'short');
  const cut = truncate('é'.repeat(100), 11);
  assert.match(cut, /^é{5}… \[190 more bytes\]$/);
});
