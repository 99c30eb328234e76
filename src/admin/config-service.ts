import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { diffServers, normaliseConfig, parseConfig, type ConfigIssue, type SwitchboardConfig } from '../config/index.js';
import { SwitchboardError, type Principal } from '../shared/index.js';
import type { AdminDeps } from './admin.js';
import { redactConfig } from './config-redaction.js';
import type { SecretsService } from './secrets-service.js';

/** The running configuration as the API shows it. */
export interface ConfigView {
  /** The config file, or `null` when the gateway runs without one. */
  path: string | null;
  /** Normalised, with the API key, env and header values masked. */
  config: SwitchboardConfig;
}

/** What applying a configuration would change, by server name. */
export interface ServerChanges {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
}

/** The verdict on a candidate configuration. */
export interface ConfigCheck {
  valid: boolean;
  /** Every problem, each with its JSON path. */
  issues: ConfigIssue[];
  /** Things that will not stop the file from loading but will keep a server from starting. */
  warnings: ConfigIssue[];
  /** Compared with the running configuration (only when valid). */
  servers?: ServerChanges;
}

export interface ConfigApplied {
  path: string;
  servers: ServerChanges;
}

/** Read, validate and atomically replace the configuration file. */
export interface ConfigService {
  get(): ConfigView;
  /** Validate a document (any accepted format; an object, or JSON text). Changes nothing, ever. */
  validate(input: unknown): ConfigCheck;
  /**
   * Validate, write the file atomically (temp file + rename), then apply. All or nothing: an invalid
   * document writes nothing (SWB_CONFIG_INVALID, 422), and a failed apply puts the old file back.
   */
  apply(input: unknown, actor: Principal): Promise<ConfigApplied>;
}

const names = (list: readonly { name: string }[]) => list.map((s) => s.name);

function isIssues(v: unknown): v is ConfigIssue[] {
  return Array.isArray(v);
}

export function createConfigService(deps: AdminDeps, secrets: SecretsService): ConfigService {
  const baseDir = () => (deps.configPath ? dirname(deps.configPath) : process.cwd());

  /** The normalised config, or the issues; SWB_CONFIG_UNREADABLE (bad JSON text) counts as an issue. */
  function check(input: unknown): { config?: SwitchboardConfig; issues: ConfigIssue[] } {
    const options = { env: deps.env, baseDir: baseDir(), source: 'the submitted configuration' };
    try {
      return { config: typeof input === 'string' ? parseConfig(input, options) : normaliseConfig(input, options), issues: [] };
    } catch (err) {
      if (!(err instanceof SwitchboardError)) throw err;
      if (err.code === 'SWB_CONFIG_INVALID' && isIssues(err.details?.['issues'])) return { issues: err.details['issues'] };
      if (err.code === 'SWB_CONFIG_UNREADABLE') return { issues: [{ path: '(root)', message: err.message }] };
      throw err;
    }
  }

  function changes(next: SwitchboardConfig): ServerChanges {
    const d = diffServers(deps.config().servers, next.servers);
    return { added: names(d.added), removed: names(d.removed), changed: names(d.changed), unchanged: names(d.unchanged) };
  }

  function warnings(next: SwitchboardConfig): ConfigIssue[] {
    return next.servers.flatMap((s) =>
      secrets.missingFor(s).map((secret) => ({ path: `servers.${s.name}`, message: `uses \${secret:${secret}}, which has no value yet; the server will not start until it is set (PUT /api/servers/${s.name}/secrets/${secret})` })),
    );
  }

  return {
    get: () => ({ path: deps.configPath ?? null, config: redactConfig(deps.config()) }),

    validate(input) {
      const { config, issues } = check(input);
      if (!config) return { valid: false, issues, warnings: [] };
      return { valid: true, issues: [], warnings: warnings(config), servers: changes(config) };
    },

    async apply(input, actor) {
      const path = deps.configPath;
      if (!path) throw new SwitchboardError('SWB_CONFIG_NO_FILE', 'The gateway was started without a config file, so there is no file to write');
      if (!deps.applyConfig) throw new SwitchboardError('SWB_INTERNAL_ERROR', 'This gateway cannot apply a configuration at run time');
      const { config: next, issues } = check(input);
      if (!next) throw new SwitchboardError('SWB_CONFIG_INVALID', `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}): ${issues.slice(0, 20).map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
      const text = typeof input === 'string' ? input : `${JSON.stringify(input, null, 2)}\n`;
      const previousText = await readFile(path, 'utf8').catch(() => undefined);
      const previous = deps.config();
      const servers = changes(next);
      await writeAtomically(path, text);
      try {
        await deps.applyConfig(next);
      } catch (err) {
        // Put the old file back so the file and the running state agree again.
        if (previousText !== undefined) await writeAtomically(path, previousText);
        else await rm(path, { force: true });
        await deps.applyConfig(previous).catch(() => undefined);
        throw err;
      }
      deps.activity.adminChange({ actor, action: 'config.apply', target: path, after: servers });
      deps.events.emit('config.reloaded', { path, source: 'api', ...servers });
      deps.logger.info({ path, actor: actor.name, ...servers }, 'configuration applied through the API');
      return { path, servers };
    },
  };
}

/**
 * Replace a file so that readers (the config watcher, a crash) see the old or the new content, never a
 * mix: write a temp file beside it with the same mode, flush it to disk, then rename over the original.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const mode = await stat(path).then((s) => s.mode & 0o777, () => 0o600);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new SwitchboardError('SWB_STORE_UNAVAILABLE', `Cannot replace ${path}: ${(err as Error).message}`, { file: path });
  }
}
