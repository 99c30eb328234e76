/**
 * Configuration: parse `switchboard.json` (in any accepted format) into one normalised shape, load it
 * from disk, compare server lists, and watch the file for changes. See README.md.
 */
export type { GatewaySettings, HttpSettings, ServerConfig, SwitchboardConfig, TransportKind } from './types.js';
export type { ConfigIssue } from './issues.js';
export type { EnvSource } from './expand-env.js';
export type { NormaliseOptions } from './normalise.js';
export type { LoadOptions } from './load.js';
export type { ServerDiff } from './diff.js';
export type { ConfigWatcher, WatchOptions } from './watch.js';

export { parseConfig } from './parse.js';
export { normaliseConfig } from './normalise.js';
export { loadConfigFile, resolveConfigPath, loadConfig, CONFIG_PATH_ENV, DEFAULT_CONFIG_FILE } from './load.js';
export { defaultConfig, DEFAULT_TIMEOUT_MS } from './defaults.js';
export { diffServers } from './diff.js';
export { configsEqual } from './deep-equal.js';
export { watchConfig } from './watch.js';
