import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SwitchboardError, toSwitchboardError } from '../shared/index.js';
import { configsEqual } from './deep-equal.js';
import { loadConfigFile, type LoadOptions } from './load.js';
import type { SwitchboardConfig } from './types.js';

/** Tuning for watchConfig. */
export interface WatchOptions extends LoadOptions {
  /**
   * The configuration currently running (what the caller loaded). Changes are reported relative to
   * it. Without it the watcher reads the file once at start to set the baseline, and a change made
   * between the caller's own load and that read goes unreported.
   */
  initial?: SwitchboardConfig;
  /** Quiet period after the last file event before the file is read. Default 200 ms. */
  debounceMs?: number;
}

/** A running watch; `close()` stops it and no callback runs afterwards. */
export interface ConfigWatcher {
  close(): void;
}

type OnChange = (config: SwitchboardConfig) => void;
type OnError = (err: SwitchboardError) => void;

/** Debounced, serialised reloads: at most one read in flight; events during a read cause one more. */
class Reloader {
  private last: SwitchboardConfig | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private again = false;
  closed = false;

  constructor(
    private readonly file: string,
    private readonly onChange: OnChange,
    private readonly onError: OnError,
    private readonly options: WatchOptions,
  ) {
    this.last = options.initial;
  }

  schedule(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(false), this.options.debounceMs ?? 200);
    this.timer.unref();
  }

  /** Read the file; `prime` only records the baseline and reports nothing. */
  async run(prime: boolean): Promise<void> {
    if (this.reading) return void (this.again = true);
    this.reading = true;
    try {
      await this.reloadOnce(prime);
    } finally {
      this.reading = false;
    }
    if (this.again && !this.closed) {
      this.again = false;
      await this.run(false);
    }
  }

  private async reloadOnce(prime: boolean): Promise<void> {
    let config: SwitchboardConfig;
    try {
      config = await loadConfigFile(this.file, this.options);
    } catch (err) {
      if (!prime && !this.closed) this.onError(toSwitchboardError(err));
      return;
    }
    if (this.closed || (this.last && configsEqual(this.last, config))) return;
    this.last = config;
    if (!prime) this.onChange(config);
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}

/**
 * Watch a config file and report each new valid configuration. The file's directory is watched
 * (editors save by writing a new file and renaming it over the old one); events are debounced, then
 * the file is read and validated:
 * - valid and different from the last configuration: `onChange(config)`;
 * - valid and the same after normalisation (e.g. reformatted): nothing;
 * - unreadable, invalid JSON or invalid configuration (including a deleted file): `onError(err)`,
 *   and the last configuration stays the reference.
 *
 * The watcher does not keep the process alive. If the directory cannot be watched, throws
 * SWB_CONFIG_UNREADABLE; if watching fails later, `onError` is called once and the watch stops.
 * Callbacks should not throw: an exception escapes as an unhandled rejection.
 */
export function watchConfig(path: string, onChange: OnChange, onError: OnError, options: WatchOptions = {}): ConfigWatcher {
  const file = resolve(path);
  const reloader = new Reloader(file, onChange, onError, options);
  let watcher: FSWatcher;
  try {
    // persistent: false is fs.watch's unref: the watch alone does not keep the event loop running.
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === basename(file)) reloader.schedule();
    });
  } catch (err) {
    throw new SwitchboardError('SWB_CONFIG_UNREADABLE', `Cannot watch ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  const close = (): void => {
    reloader.stop();
    watcher.close();
  };
  watcher.on('error', (err) => {
    if (reloader.closed) return;
    close();
    onError(new SwitchboardError('SWB_CONFIG_UNREADABLE', `Stopped watching ${file}: ${err.message}`, { file }, { cause: err }));
  });
  if (!options.initial) void reloader.run(true);
  return { close };
}
