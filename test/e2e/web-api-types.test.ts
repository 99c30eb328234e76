/**
 * The web console's API types are generated from the OpenAPI document; this keeps the committed
 * file and the routes in step, and checks the JSON Schema → TypeScript renderer on its own.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TYPES_FILE, fetchOpenApiDocument, renderApiTypes, renderSchema } from '../../scripts/web-api-types.js';

describe('web console API types', () => {
  test('web/src/api/schema.gen.ts matches the OpenAPI document the gateway serves', async () => {
    const expected = renderApiTypes(await fetchOpenApiDocument());
    const actual = readFileSync(TYPES_FILE, 'utf8');
    // One line names the drift instead of dumping 2,000 lines of diff.
    const a = actual.split('\n');
    const e = expected.split('\n');
    const at = e.findIndex((line, i) => line !== a[i]);
    assert.ok(at === -1 && a.length === e.length, `schema.gen.ts is out of date (first difference at line ${at + 1}: ${JSON.stringify(e[at])}); run npm run web:types`);
  });

  test('the schema renderer covers what zod emits', () => {
    assert.equal(renderSchema({ type: 'string' }), 'string');
    assert.equal(renderSchema({ type: 'integer' }), 'number');
    assert.equal(renderSchema({ enum: ['a', 'b'] }), '"a" | "b"');
    assert.equal(renderSchema({ const: 3 }), '3');
    assert.equal(renderSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] }), 'string | null');
    assert.equal(renderSchema({ type: ['string', 'null'] }), 'string | null');
    assert.equal(renderSchema({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }), '(string | number)[]');
    assert.equal(renderSchema({ type: 'array', items: { enum: ['x', 'y'] } }), '("x" | "y")[]');
    assert.equal(renderSchema({ type: 'object', additionalProperties: { type: 'string' } }), 'Record<string, string>');
    assert.equal(renderSchema({ type: 'object' }), 'Record<string, unknown>');
    assert.equal(renderSchema({}), 'unknown');
    assert.equal(renderSchema({ allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'number' } } }] }), '{\n  a: string;\n} & {\n  b?: number;\n}');
    assert.equal(renderSchema({ type: 'object', properties: { 'x-y': { type: 'boolean', description: 'a flag' } }, required: ['x-y'], additionalProperties: false }), '{\n  /** a flag */\n  "x-y": boolean;\n}');
  });
});
