/**
 * Confirms the isolation layers from inside a real sandbox process: what its environment, permission
 * model, network interfaces and pid look like. `sandboxLayers()` is what doctor and /health/detail
 * report; a layer is active only when the probe sees it in effect.
 */
import { describeLayers, detectIsolation, runtimePaths, sandboxCommand } from './isolation.js';
import { SandboxProcess } from './sandbox-process.js';
import type { SandboxLayer } from './types.js';

/** What a sandbox process sees of itself. */
export interface ProbeFacts {
  pid: number;
  uid: number;
  envKeys: number;
  permissionModel: boolean;
  fsWrite: boolean;
  readsOutside: boolean;
  childProcess: boolean;
  worker: boolean;
  interfaces: string[];
  /** Outcomes of real attempts: 'allowed' or the error code that stopped them. */
  attempts: Record<'readHostFile' | 'writeFile' | 'spawn' | 'codeFromString' | 'signalHost' | 'connect', string>;
}

/** Start one sandbox process (no interpreter needed) and ask it about itself. */
export async function probeSandbox(timeoutMs = 10_000, target: { connectHost?: string; connectPort?: number } = {}): Promise<ProbeFacts> {
  const paths = runtimePaths();
  const spec = sandboxCommand(detectIsolation(paths), paths, { cpuSeconds: 10, maxOpenFiles: 64 }, { mode: 'serve' });
  const proc = new SandboxProcess(spec, { bootTimeoutMs: timeoutMs, maxFrameBytes: 64 * 1024 });
  try {
    return await new Promise<ProbeFacts>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sandbox probe did not answer')), timeoutMs);
      proc.onFrame = (frame) => {
        if (frame.kind === 'json' && frame.message.t === 'probe') {
          clearTimeout(timer);
          resolve(frame.message.result as ProbeFacts);
        }
      };
      void proc.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox probe exited: ${exit.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`));
      });
      proc.send({ t: 'probe', hostPid: process.pid, ...target });
    });
  } finally {
    proc.kill();
  }
}

let reported: Promise<SandboxLayer[]> | undefined;

/**
 * The sandbox's isolation layers on this host, each confirmed by a probe process where it can be
 * observed from the inside. Computed once per gateway process.
 */
export function sandboxLayers(): Promise<SandboxLayer[]> {
  reported ??= (async () => {
    const layers = describeLayers(detectIsolation(), true).filter((l) => l.name !== 'fresh-interpreter');
    let facts: ProbeFacts;
    try {
      facts = await probeSandbox();
    } catch (err) {
      return layers.map((l) => ({ ...l, active: false, detail: `unverified: ${(err as Error).message}` }));
    }
    const confirm = (name: string, ok: boolean, why: string) => {
      const layer = layers.find((l) => l.name === name)!;
      if (layer.active && !ok) Object.assign(layer, { active: false, detail: `detected but not in effect: ${why}` });
    };
    confirm('process', facts.envKeys === 0 && facts.attempts.signalHost !== 'allowed', `${facts.envKeys} environment variables visible, signalling the gateway: ${facts.attempts.signalHost}`);
    const attempts = facts.attempts;
    confirm('node-permission-model', facts.permissionModel && !facts.fsWrite && !facts.readsOutside && !facts.childProcess && !facts.worker && attempts.readHostFile !== 'allowed' && attempts.writeFile !== 'allowed' && attempts.spawn !== 'allowed' && attempts.codeFromString !== 'allowed', 'the permission model does not restrict the process');
    confirm('network-namespace', facts.interfaces.length === 0 && attempts.connect !== 'allowed', `interfaces visible: ${facts.interfaces.join(', ')}`);
    confirm('pid-namespace', facts.pid === 1, `the runner is pid ${facts.pid}`);
    return layers;
  })();
  return reported;
}
