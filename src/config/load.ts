import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SwitchboardError } from '../shared/index.js';
import { defaultConfig } from './defaults.js';
import type { EnvSource } from './expand-env.js';
import { parseConfig } from './parse.js';
import type { SwitchboardConfig } from './types.js';

/** The file looked for in the working directory when neither the flag nor the environment names one. */
export const DEFAULT_CONFIG_FILE = 'switchboard.json';

/** Environment variable naming the config file. */
export const CONFIG_PATH_ENV = 'SWITCHBOARD_CONFIG';

/** Options for loading: where `${env:NAME}` is looked up (default `process.env`). */
export interface LoadOptions {
  env?: EnvSource;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
};

function readError(file: string, err: unknown): SwitchboardError {
  const code = (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';
  const reason = READ_ERRORS[code] ?? (err instanceof Error ? err.message : String(err));
  return new SwitchboardError('SWB_CONFIG_UNREADABLE', `Cannot read config file ${file}: ${reason}`, { file, reason: code }, { cause: err });
}

/**
 * Read, parse and normalise a config file. Relative `cwd` values are resolved against the file's
 * directory. Throws SWB_CONFIG_UNREADABLE (missing or unreadable file, invalid JSON) or
 * SWB_CONFIG_INVALID (with `details.issues`); messages and `details.file` name the absolute path.
 */
export async function loadConfigFile(path: string, options: LoadOptions = {}): Promise<SwitchboardConfig> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw readError(file, err);
  }
  return parseConfig(text, { env: options.env, baseDir: dirname(file), source: file });
}

/**
 * Which config file to use, as an absolute path: the `flag` (e.g. `--config`), else
 * `$SWITCHBOARD_CONFIG`, else `./switchboard.json` if it exists, else `undefined` (run with
 * defaultConfig()). An empty flag or variable counts as unset. The flag and the variable are not
 * checked for existence: naming a missing file is an error at load time, not a silent fallback.
 */
export function resolveConfigPath(flag?: string, options: { env?: EnvSource; cwd?: string } = {}): string | undefined {
  const cwd = options.cwd ?? process.cwd();
  const named = flag || (options.env ?? process.env)[CONFIG_PATH_ENV];
  if (named) return resolve(cwd, named);
  const fallback = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

/**
 * resolveConfigPath + loadConfigFile in one step: the config and the file it came from, or the
 * default configuration with `path: undefined` when there is no file to load.
 */
export async function loadConfig(flag?: string, options: LoadOptions & { cwd?: string } = {}): Promise<{ path: string | undefined; config: SwitchboardConfig }> {
  const path = resolveConfigPath(flag, options);
  return { path, config: path === undefined ? defaultConfig() : await loadConfigFile(path, options) };
}
