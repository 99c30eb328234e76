import type { z } from 'zod';
import { defaultSettings, SettingsSchema, SwitchboardError, type Principal, type Settings } from '../shared/index.js';
import type { AdminDeps } from './admin.js';

/** One problem with a settings value: a dotted path and what is wrong. */
export interface SettingsIssue {
  path: string;
  message: string;
}

/** The settings document as the API returns it. */
export interface SettingsView {
  settings: Settings;
  /** When they were last changed; `null` while every value is a default. */
  updated_at: string | null;
}

/** The validated settings document, cached in memory so flags can be read on any path without I/O. */
export interface SettingsService {
  /** Resolves once the stored document is loaded; until then `get()` returns the defaults. */
  readonly ready: Promise<void>;
  /** The current settings (synchronous, cached). */
  get(): Settings;
  view(): SettingsView;
  /**
   * Apply a partial document: the given fields replace the current ones, `null` resets a field to its
   * default. Unknown keys and bad values fail with SWB_SETTINGS_INVALID (422) listing every problem;
   * nothing is written unless the whole result is valid.
   */
  update(patch: unknown, actor: Principal): Promise<SettingsView>;
  /** Validate a complete document without storing it (imports use it before they write anything). */
  validate(doc: unknown): Settings;
  /** Re-read the stored document (after a backup restore wrote it in its own transaction). */
  reload(): Promise<void>;
  /** Called after every change, with the new settings. */
  onChange(listener: (settings: Settings) => void): () => void;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function issuesOf(err: z.ZodError): SettingsIssue[] {
  return err.issues.map((i) => {
    const keys = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys : [];
    const path = i.path.map(String).join('.') || '(root)';
    if (keys.length) return { path: keys.map((k) => (path === '(root)' ? k : `${path}.${k}`)).join(', '), message: 'unknown setting' };
    return { path, message: i.message };
  });
}

function invalid(issues: SettingsIssue[]): SwitchboardError {
  return new SwitchboardError('SWB_SETTINGS_INVALID', `Invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}

/**
 * Merge a patch into a document: given fields replace, `null` removes (so the default applies). A group
 * (`sensitive_data`) merges field by field, so `{ sensitive_data: { results: 'block' } }` keeps `arguments`.
 */
function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObject(v) && isObject(out[k])) out[k] = merge(out[k], v);
    else out[k] = v;
  }
  return out;
}

/** A stored document from an older or newer version: keep every field that is still valid. */
function salvage(stored: unknown): Settings {
  const whole = SettingsSchema.safeParse(stored);
  if (whole.success) return whole.data;
  const doc = isObject(stored) ? stored : {};
  const kept = Object.fromEntries(Object.entries(SettingsSchema.shape).flatMap(([key, schema]) => (schema.safeParse(doc[key]).success ? [[key, doc[key]]] : [])));
  return SettingsSchema.parse(kept);
}

export function createSettingsService(deps: AdminDeps): SettingsService {
  let current: Settings = defaultSettings();
  const listeners = new Set<(s: Settings) => void>();
  function notify(): void {
    for (const l of listeners) {
      try {
        l(current);
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'settings listener failed');
      }
    }
  }
  let updatedAt: string | null = null;
  // Read-modify-write must not interleave: two PATCHes of different fields both land.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  async function load(): Promise<void> {
    const stored = await deps.store.secrets.settings();
    if (!stored) return;
    current = salvage(stored.value);
    updatedAt = stored.updatedAt;
  }
  const ready = load();

  function validate(doc: unknown): Settings {
    const r = SettingsSchema.safeParse(doc);
    if (!r.success) throw invalid(issuesOf(r.error));
    return r.data;
  }

  async function save(next: Settings, actor: Principal, action: string): Promise<SettingsView> {
    const before = current;
    const saved = await deps.store.secrets.write((w) => w.putSettings(next));
    current = next;
    updatedAt = saved.updatedAt;
    deps.activity.adminChange({ actor, action, target: 'settings', before, after: next });
    deps.logger.info({ actor: actor.name }, 'settings changed');
    notify();
    return { settings: current, updated_at: updatedAt };
  }

  return {
    ready,
    get: () => current,
    view: () => ({ settings: current, updated_at: updatedAt }),
    validate,
    update(patch, actor) {
      if (!isObject(patch)) return Promise.reject(invalid([{ path: '(root)', message: 'expected an object with the settings to change' }]));
      return serial(async () => {
        await ready;
        const next = validate(merge(current as unknown as Record<string, unknown>, patch));
        return save(next, actor, 'settings.update');
      });
    },
    reload: () => serial(load).then(notify),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
