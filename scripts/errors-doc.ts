/** Renders docs/errors.md from the error table; `--check` fails when the file is out of date. */
import { readFileSync, writeFileSync } from 'node:fs';
import { ERROR_CODES } from '../src/shared/errors.js';

export function renderErrorsDoc(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.http} | ${e.jsonrpc} | ${e.hint} |`);
  return [
    '# Error codes',
    '',
    'Every error Switchboard reports carries one of these stable codes. REST bodies use the envelope',
    '`{ "error": { "code", "message", "details", "hint" } }`; MCP errors and failed tool results start',
    'their message with the code (`SWB_UPSTREAM_FAILED: …`). A retired code is never reused.',
    '',
    'Generated from `src/shared/errors.ts` by `node --import tsx scripts/errors-doc.ts`; a test fails when',
    'this file and the table drift apart.',
    '',
    '| Code | HTTP | JSON-RPC | What to do |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    'Errors that come from an upstream server (its own JSON-RPC errors, or `isError` tool results) are',
    'passed through unchanged.',
    '',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = new URL('../docs/errors.md', import.meta.url);
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== renderErrorsDoc()) {
      console.error('docs/errors.md is out of date: run node --import tsx scripts/errors-doc.ts');
      process.exit(1);
    }
  } else writeFileSync(path, renderErrorsDoc());
}
