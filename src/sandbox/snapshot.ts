/**
 * The interpreter snapshot the warm pool starts from: Pyodide booted once, with the guard, analyser
 * and driver loaded and the whitelisted modules imported, but before any tool code or secret. Made by
 * a sandbox process under the same isolation as the others and written to a private temp directory
 * that only the gateway can write.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxProcess } from './sandbox-process.js';

const SNAPSHOT_TIMEOUT_MS = 120_000;
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/** A snapshot file and the directory to remove with it. */
export interface SnapshotFile {
  path: string;
  bytes: number;
  makeMs: number;
  remove(): void;
}

/** Boot one process in snapshot mode and store what it sends back. */
export async function makeSnapshot(spec: { command: string; args: string[] }): Promise<SnapshotFile> {
  const started = performance.now();
  const proc = new SandboxProcess(spec, { bootTimeoutMs: SNAPSHOT_TIMEOUT_MS, maxFrameBytes: MAX_SNAPSHOT_BYTES });
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error(`making the interpreter snapshot took longer than ${SNAPSHOT_TIMEOUT_MS} ms`));
    }, SNAPSHOT_TIMEOUT_MS);
    proc.onFrame = (frame) => {
      if (frame.kind === 'bytes') {
        clearTimeout(timer);
        resolve(frame.bytes);
      }
    };
    void proc.exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`the snapshot process exited (code ${exit.code}, signal ${exit.signal}): ${exit.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500)}`));
    });
  });
  proc.kill();
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-sandbox-'));
  // Readable by the unprivileged sandbox user, writable only by the gateway.
  chmodSync(dir, 0o755);
  const path = join(dir, 'interpreter.snapshot');
  writeFileSync(path, bytes, { mode: 0o644 });
  return { path, bytes: bytes.length, makeMs: performance.now() - started, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
