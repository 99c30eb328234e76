import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './harness.js';

const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

/**
 * server-everything over HTTP (`sse`: the deprecated HTTP+SSE transport; `streamableHttp`) on a fixed
 * port, so that after a kill it can come back where it was. Resolves once it listens; the returned
 * function kills it (and its process group) at once.
 */
export async function startEverythingOnPort(mode: 'sse' | 'streamableHttp', port: number): Promise<() => void> {
  const proc = spawn(process.execPath, [EVERYTHING, mode], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server-everything (${mode}) did not start`)), 15_000);
    proc.stderr!.on('data', (d: Buffer) => {
      if (/running|listening/i.test(d.toString())) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  return () => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
}
