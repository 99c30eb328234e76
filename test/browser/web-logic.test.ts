/**
 * The web console's pure logic, tested without a browser: turning form input into tool arguments,
 * tool search ranking, SSE framing, chart scales and the profile editor's picks and preview.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsOf, initialValues, toArguments } from '../../web/src/pages/schema-args.js';
import { scoreTool } from '../../web/src/pages/tool-search.js';
import { parseSseChunk } from '../../web/src/api/sse-parse.js';
import { ticks } from '../../web/src/ui/chart-scale.js';
import { emptyPick, globToRegExp, picksOf, previewProfile, profileUrl, rowsOf } from '../../web/src/pages/profile-logic.js';

describe('tool argument forms', () => {
  const schema = {
    type: 'object',
    properties: {
      message: { type: 'string' },
      count: { type: 'integer', default: 2 },
      ratio: { type: 'number' },
      loud: { type: 'boolean' },
      mode: { type: 'string', enum: ['a', 'b'] },
      tags: { type: 'array', items: { type: 'string' } },
      maybe: { anyOf: [{ type: 'number' }, { type: 'null' }] },
    },
    required: ['message', 'count'],
  };
  const fields = fieldsOf(schema);

  test('each property gets the right kind of input, defaults pre-filled', () => {
    assert.deepEqual(
      fields.map((f) => [f.name, f.kind, f.required]),
      [
        ['message', 'string', true],
        ['count', 'integer', true],
        ['ratio', 'number', false],
        ['loud', 'boolean', false],
        ['mode', 'enum', false],
        ['tags', 'json', false],
        ['maybe', 'number', false],
      ],
    );
    assert.equal(initialValues(fields)['count'], '2');
    assert.equal(initialValues(fields)['loud'], false);
  });

  test('typed arguments; empty optional fields are left out', () => {
    const v = { ...initialValues(fields), message: 'hi', ratio: '0.5', tags: '["x"]', loud: true };
    assert.deepEqual(toArguments(fields, v), { args: { message: 'hi', count: 2, ratio: 0.5, loud: true, tags: ['x'] }, errors: {} });
  });

  test('missing, malformed and non-integer input is reported per field', () => {
    const { args, errors } = toArguments(fields, { ...initialValues(fields), count: '1.5', ratio: 'abc', tags: '[', message: '' });
    assert.equal(args, undefined);
    assert.deepEqual(errors, { message: 'Required', count: 'A whole number', ratio: 'A number', tags: 'Not valid JSON' });
  });

  test('a tool without an input schema takes no arguments', () => {
    assert.deepEqual(fieldsOf(null), []);
    assert.deepEqual(toArguments([], {}), { args: {}, errors: {} });
  });
});

describe('tool search', () => {
  const tool = (name: string, description: string) => ({ name, exposed_name: `srv__${name}`, title: null, description, input_schema: null, disabled: false });
  test('name matches outrank description matches; every word must match', () => {
    const read = tool('read_file', 'Read a file from disk');
    const list = tool('list_dir', 'List files, then read them');
    assert.ok(scoreTool(read, 'fs', ['read']) > scoreTool(list, 'fs', ['read']));
    assert.equal(scoreTool(read, 'fs', ['read', 'network']), 0);
    assert.ok(scoreTool(read, 'fs', ['fs']) > 0, 'the server name counts');
    assert.equal(scoreTool(read, 'fs', []), 1);
  });
});

describe('SSE framing', () => {
  test('complete events are split off; the partial tail is kept for the next chunk', () => {
    const a = parseSseChunk('retry: 3000\n: connected\n\nid: 1\nevent: x\ndata: {"a":1}\n\nid: 2\ndata: {"b"');
    assert.deepEqual(a.events, ['{"a":1}']);
    const b = parseSseChunk(`${a.rest}:2}\r\n\r\n: heartbeat\n\n`);
    assert.deepEqual(b.events, ['{"b":2}']);
    assert.equal(b.rest, '');
  });
});

describe('chart scales', () => {
  test('the top gridline is at or above the largest value, in a handful of steps', () => {
    for (const max of [0.3, 1, 2, 3, 7, 22.3, 99, 101, 1234]) {
      const t = ticks(max);
      assert.ok(t.at(-1)! >= max, `ticks(${max}) = ${t}`);
      assert.ok(t.length <= 7, `ticks(${max}) = ${t}`);
    }
    assert.deepEqual(ticks(3, true), [0, 1, 2, 3]);
    assert.deepEqual(ticks(0), [0]);
  });
});

describe('profile editor', () => {
  test('picks round-trip through form rows; blank rows and unset overrides are dropped', () => {
    const tools = [{ match: 'everything__echo', name: 'say', title: 'Say', description: 'Repeat', annotations: { title: 'Echo', readOnlyHint: true, openWorldHint: false } }, { match: 'mut/*' }];
    const rows = rowsOf(tools);
    assert.equal(rows[0]!.hints.readOnlyHint, 'true');
    assert.equal(rows[0]!.hints.openWorldHint, 'false');
    assert.equal(rows[0]!.hints.destructiveHint, '');
    assert.deepEqual(picksOf([...rows, emptyPick()]), tools);
    const partial = emptyPick('a__b');
    partial.name = '  renamed ';
    partial.hints.idempotentHint = 'true';
    assert.deepEqual(picksOf([partial]), [{ match: 'a__b', name: 'renamed', annotations: { idempotentHint: true } }]);
    // An override without a match is kept so the gateway can say what is missing.
    const orphan = emptyPick();
    orphan.title = 'T';
    assert.deepEqual(picksOf([orphan]), [{ match: '', title: 'T' }]);
  });

  test('globs match whole names: *, ?, **, classes and alternatives', () => {
    const m = (g: string, n: string) => globToRegExp(g)!.test(n);
    assert.ok(m('github__*', 'github__create_issue'));
    assert.ok(!m('github__*', 'xgithub__create_issue'));
    assert.ok(!m('read*', 'unread'));
    assert.ok(m('a?c', 'abc') && !m('a?c', 'abbc'));
    assert.ok(m('fs/read_*', 'fs/read_file') && !m('fs/*', 'fs/a/b') && m('fs/**', 'fs/a/b'));
    assert.ok(m('[ab]x', 'bx') && !m('[ab]x', 'cx') && m('[!ab]x', 'cx'));
    assert.ok(m('{read,list}_file', 'list_file') && !m('{read,list}_file', 'write_file'));
    assert.ok(m('a.b', 'a.b') && !m('a.b', 'axb'), 'dots are literal');
    assert.equal(globToRegExp('[abc'), undefined);
    assert.equal(globToRegExp('{a,b'), undefined);
  });

  test('the preview follows the gateway: picks in order, first pick wins, server/tool matches upstream names, renames', () => {
    const known = [
      { server: 'gh', exposed: 'gh__create_issue', original: 'create_issue' },
      { server: 'gh', exposed: 'gh__list_issues', original: 'list_issues' },
      { server: 'fs', exposed: 'files__read', original: 'read' },
    ];
    const p = previewProfile([{ match: 'gh__list_issues', name: 'issues' }, { match: 'gh__*' }, { match: 'fs/read' }, { match: 'nothing__*' }, { match: '[bad' }], known);
    assert.deepEqual(
      p.rows.map((r) => `${r.pick}:${r.name}<-${r.exposed}`),
      ['0:issues<-gh__list_issues', '1:gh__create_issue<-gh__create_issue', '2:files__read<-files__read'],
    );
    assert.deepEqual(p.perPick, [1, 1, 1, 0, 0]);
    // Two picks presenting tools under one name: the first keeps it.
    const clash = previewProfile([{ match: 'gh__create_issue', name: 'x' }, { match: 'gh__list_issues', name: 'x' }], known);
    assert.deepEqual(clash.rows.map((r) => r.exposed), ['gh__create_issue']);
  });

  test('the MCP URL joins the origin and the endpoint', () => {
    assert.equal(profileUrl('http://127.0.0.1:8080/', '/mcp/p/readers'), 'http://127.0.0.1:8080/mcp/p/readers');
    assert.equal(profileUrl('https://gw.example', 'mcp/p/x'), 'https://gw.example/mcp/p/x');
  });
});
