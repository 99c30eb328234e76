// npm run bench:sandbox: the sandbox section of docs/benchmarks.md on its own (section 5).
// Run: node --import tsx bench/sandbox.ts [--calls 40] [--sustain-seconds 10]
import { parseArgs } from 'node:util';
import { writeDocSection } from './lib/doc-section.js';
import { machine } from './lib/machine.js';
import { renderSandboxSection, sandboxSection } from './sections/sandbox.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '40' }, 'sustain-seconds': { type: 'string', default: '10' } } });
const m = machine();
console.log(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}`);
const r = await sandboxSection((s) => console.log(s), Number(values.calls), Number(values['sustain-seconds']));
writeDocSection('sandbox', renderSandboxSection(r));
console.log(JSON.stringify(r, null, 2));
console.log('Wrote docs/benchmarks.md (section 5)');
process.exit(0);
