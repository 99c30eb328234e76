import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StderrLog } from './stderr-log.js';

const texts = (log: StderrLog, limit?: number): string[] => log.lines(limit).map((l) => l.line);

test('joins partial lines across chunks and strips CR', () => {
  const log = new StderrLog();
  log.append(Buffer.from('hel'));
  log.append(Buffer.from('lo\r\nwor'));
  assert.deepEqual(texts(log), ['hello']);
  log.append('ld\n\nlast');
  assert.deepEqual(texts(log), ['hello', 'world', '']);
  log.flush();
  assert.deepEqual(texts(log), ['hello', 'world', '', 'last']);
  log.flush();
  assert.equal(log.size, 4, 'a second flush adds nothing');
});

test('does not split a multi-byte character cut between chunks', () => {
  const log = new StderrLog();
  const bytes = Buffer.from('héllo ✓\n');
  log.append(bytes.subarray(0, 2));
  log.append(bytes.subarray(2, 8));
  log.append(bytes.subarray(8));
  assert.deepEqual(texts(log), ['héllo ✓']);
});

test('keeps at most maxLines, oldest evicted first, and lines(limit) returns the newest', () => {
  const log = new StderrLog({ maxLines: 3 });
  for (let i = 1; i <= 5; i++) log.append(`line ${i}\n`);
  assert.deepEqual(texts(log), ['line 3', 'line 4', 'line 5']);
  assert.deepEqual(texts(log, 2), ['line 4', 'line 5']);
  assert.deepEqual(texts(log, 0), []);
  assert.deepEqual(texts(log, 99), ['line 3', 'line 4', 'line 5']);
  assert.equal(log.droppedLines, 2);
});

test('keeps at most maxBytes in total', () => {
  const log = new StderrLog({ maxLines: 100, maxBytes: 20 });
  for (let i = 0; i < 10; i++) log.append(`${i}${'x'.repeat(5)}\n`); // 6 bytes each
  assert.deepEqual(texts(log), ['7xxxxx', '8xxxxx', '9xxxxx']);
  assert.equal(log.bytes, 18);
});

test('splits a line longer than maxLineBytes so a newline-less stream stays bounded', () => {
  const log = new StderrLog({ maxLines: 100, maxBytes: 1000, maxLineBytes: 10 });
  log.append('a'.repeat(25));
  assert.deepEqual(texts(log), ['a'.repeat(10), 'a'.repeat(10)]);
  log.append('é'.repeat(6)); // 5 + 12 bytes pending: cut before a 2-byte character, never inside it
  assert.deepEqual(texts(log).slice(2), ['aaaaaéé']);
  log.flush();
  assert.deepEqual(texts(log).slice(3), ['éééé']);
  for (let i = 0; i < 1000; i++) log.append('z'.repeat(100));
  assert.ok(log.bytes <= 1000, `bytes ${log.bytes}`);
});

test('timestamps lines with the arrival time of their first byte', async () => {
  const log = new StderrLog();
  const before = Date.now();
  log.append('slow ');
  await new Promise((r) => setTimeout(r, 30));
  log.append('line\n');
  const [entry] = log.lines();
  assert.ok(entry && entry.ts >= before && entry.ts < before + 25, `ts ${entry?.ts} vs ${before}`);
});

test('clear forgets lines and the pending partial line', () => {
  const log = new StderrLog();
  log.append('one\ntw');
  log.clear();
  log.append('o\n');
  assert.deepEqual(texts(log), ['o']);
  assert.equal(log.bytes, 1);
});
