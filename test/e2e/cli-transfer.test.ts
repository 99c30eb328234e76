/** `switchboard export` and `switchboard import` on a data directory, as an operator runs them. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './harness.js';

const MASTER = randomBytes(32).toString('hex');

function cli(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SWITCHBOARD_MASTER_KEY: MASTER, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI export and import', () => {
  let dir: string;
  let config: string;

  before(() => {
    dir = tempDir('sb-cli-transfer-');
    config = join(dir, 'switchboard.json');
    writeFileSync(config, JSON.stringify({ mcpServers: { files: { command: 'node', args: ['files.js'], env: { ROOT: '${env:HOME}' } }, web: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${secret:WEB_TOKEN}' } } } }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('export to stdout in each client format, and a backup to a 0600 file', () => {
    const claude = cli(['export', '--format', 'claude', '--config', config, '--data', join(dir, 'a')]);
    assert.equal(claude.status, 0, claude.stderr);
    const doc = JSON.parse(claude.stdout);
    assert.deepEqual(doc.mcpServers.files, { command: 'node', args: ['files.js'], env: { ROOT: '${env:HOME}' } });
    assert.equal(doc.mcpServers.web.type, 'http');
    const vscode = JSON.parse(cli(['export', '--format', 'vscode', '--config', config, '--data', join(dir, 'a')]).stdout);
    assert.equal(vscode.servers.files.type, 'stdio');

    const out = join(dir, 'backup.json');
    const b = cli(['export', '--format', 'backup', '--out', out, '--config', config, '--data', join(dir, 'a')]);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /Wrote the backup export/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).format, 'switchboard-backup');

    const bad = cli(['export', '--format', 'zip', '--data', join(dir, 'a')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be one of/);
  });

  test('import --dry-run shows the plan and changes nothing; import applies; a second run is unchanged', () => {
    const file = join(dir, 'claude.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { notes: { command: 'node', args: ['notes.js'] }, search: { url: 'https://search.example.com/mcp' } } }));
    const data = join(dir, 'b');
    const dry = cli(['import', file, '--dry-run', '--data', data]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /notes\s+ADD/);
    assert.match(dry.stdout, /Dry run — nothing changed: 2 to add/);
    const empty = JSON.parse(cli(['export', '--data', data]).stdout);
    assert.deepEqual(empty.mcpServers, [], 'the dry run wrote nothing');

    const real = cli(['import', file, '--json', '--data', data]);
    assert.equal(real.status, 0, real.stderr);
    const result = JSON.parse(real.stdout);
    assert.equal(result.applied, true);
    assert.deepEqual(result.summary, { add: 2, update: 0, conflict: 0, unchanged: 0, invalid: 0 });
    const after = JSON.parse(cli(['export', '--data', data]).stdout);
    assert.deepEqual(after.mcpServers.map((s: any) => [s.name, s.quarantined]), [['notes', true], ['search', true]]);
    assert.match(cli(['import', file, '--dry-run', '--data', data]).stdout, /notes\s+UNCHANGED/);
  });

  test('a backup restores into a fresh data dir with the same master key; a tampered one is refused', () => {
    const out = join(dir, 'backup.json');
    const ok = cli(['import', out, '--data', join(dir, 'c')]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Format: backup/);
    assert.match(ok.stdout, /files\s+ADD/);

    const doc = JSON.parse(readFileSync(out, 'utf8'));
    doc.servers[0].args = ['evil.js'];
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(doc));
    const refused = cli(['import', tampered, '--data', join(dir, 'd')]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /SWB_IMPORT_SIGNATURE_INVALID/);

    const missing = cli(['import', join(dir, 'nope.json'), '--data', join(dir, 'd')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Cannot read/);
    const noFile = cli(['import', '--data', join(dir, 'd')]);
    assert.equal(noFile.status, 2);
  });
});
