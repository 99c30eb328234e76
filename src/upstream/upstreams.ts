import type { ServerConfig } from '../config/index.js';
import { UpstreamSupervisor, type SupervisorEvents, type SupervisorOptions } from './supervisor.js';

export interface ApplyResult {
  added: string[];
  removed: string[];
  restarted: string[];
}

/** All supervised upstreams, keyed by server name, in configuration order. */
export class Upstreams {
  private readonly byName = new Map<string, UpstreamSupervisor>();
  private order: string[] = [];

  constructor(
    private readonly events: SupervisorEvents,
    private readonly opts: SupervisorOptions = {},
  ) {}

  get(name: string): UpstreamSupervisor | undefined {
    return this.byName.get(name);
  }

  list(): UpstreamSupervisor[] {
    return this.order.map((n) => this.byName.get(n)!);
  }

  /**
   * Bring the running set in line with a configuration: start new servers, stop removed ones, and
   * restart only those whose configuration changed. Everything else keeps running untouched.
   */
  async apply(servers: readonly ServerConfig[]): Promise<ApplyResult> {
    const next = new Map(servers.map((s) => [s.name, s]));
    const result: ApplyResult = { added: [], removed: [], restarted: [] };
    const stops: Promise<void>[] = [];
    for (const [name, sup] of this.byName) {
      if (!next.has(name)) {
        result.removed.push(name);
        this.byName.delete(name);
        stops.push(sup.stop());
      }
    }
    for (const cfg of servers) {
      const sup = this.byName.get(cfg.name);
      if (!sup) {
        const created = new UpstreamSupervisor(cfg, this.events, this.opts);
        this.byName.set(cfg.name, created);
        result.added.push(cfg.name);
        created.start();
      } else if (JSON.stringify(sup.config) !== JSON.stringify(cfg)) {
        result.restarted.push(cfg.name);
        stops.push(sup.reconfigure(cfg));
      }
    }
    this.order = servers.map((s) => s.name);
    await Promise.all(stops);
    return result;
  }

  /** Stop everything (gateway shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((s) => s.stop()));
  }
}
