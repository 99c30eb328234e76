/**
 * The profile editor's pure logic: a profile's picks as form rows and back, and a preview of which
 * tools the picks select now. The gateway decides what a profile serves; the preview follows its rules
 * (picks in order, the first pick of a tool wins, `server/tool` matches the upstream's own names) with
 * a small glob matcher (`*`, `?`, `**`, `[abc]`, `{a,b}`), so it is a guide, not the contract.
 */

/** A tri-state for annotation overrides: keep the upstream's value, or force true / false. */
export type Hint = '' | 'true' | 'false';
export const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;
export type HintName = (typeof HINTS)[number];

/** One pick as the form edits it: every field a string, empty meaning "not overridden". */
export interface PickRow {
  key: number;
  match: string;
  name: string;
  title: string;
  description: string;
  annotationTitle: string;
  hints: Record<HintName, Hint>;
}

/** A pick as the API takes and returns it. */
export interface ProfilePick {
  match: string;
  name?: string;
  title?: string;
  description?: string;
  annotations?: { title?: string; readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
}

let nextKey = 1;

export function emptyPick(match = ''): PickRow {
  return { key: nextKey++, match, name: '', title: '', description: '', annotationTitle: '', hints: { readOnlyHint: '', destructiveHint: '', idempotentHint: '', openWorldHint: '' } };
}

export function rowsOf(tools: readonly ProfilePick[]): PickRow[] {
  return tools.map((t) => {
    const row = emptyPick(t.match);
    row.name = t.name ?? '';
    row.title = t.title ?? '';
    row.description = t.description ?? '';
    row.annotationTitle = t.annotations?.title ?? '';
    for (const h of HINTS) {
      const v = t.annotations?.[h];
      row.hints[h] = v === undefined ? '' : v ? 'true' : 'false';
    }
    return row;
  });
}

/** The API body's picks: blank rows dropped, only the overrides actually set. Values are sent as typed (the gateway validates). */
export function picksOf(rows: readonly PickRow[]): ProfilePick[] {
  const out: ProfilePick[] = [];
  for (const r of rows) {
    const match = r.match.trim();
    const overridden = r.name.trim() || r.title || r.description || r.annotationTitle || HINTS.some((h) => r.hints[h] !== '');
    if (!match && !overridden) continue;
    const pick: ProfilePick = { match };
    if (r.name.trim()) pick.name = r.name.trim();
    if (r.title) pick.title = r.title;
    if (r.description) pick.description = r.description;
    const annotations: NonNullable<ProfilePick['annotations']> = {};
    if (r.annotationTitle) annotations.title = r.annotationTitle;
    for (const h of HINTS) if (r.hints[h] !== '') annotations[h] = r.hints[h] === 'true';
    if (Object.keys(annotations).length) pick.annotations = annotations;
    out.push(pick);
  }
  return out;
}

/** How many fields a pick overrides (shown on the collapsed row). */
export function overrideCount(r: PickRow): number {
  return [r.name.trim(), r.title, r.description, r.annotationTitle].filter(Boolean).length + HINTS.filter((h) => r.hints[h] !== '').length;
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;
export const isPattern = (match: string): boolean => GLOB_CHARS.test(match);

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** A whole-name glob as a regular expression, or undefined when it does not parse. */
export function globToRegExp(glob: string): RegExp | undefined {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) return undefined;
      const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += escape(c);
  }
  if (braces !== 0) return undefined;
  try {
    return new RegExp(`^${out}$`);
  } catch {
    return undefined;
  }
}

/** A tool as the preview knows it: its server, exposed name and upstream name. */
export interface KnownTool {
  server: string;
  exposed: string;
  original: string;
}

export interface PreviewRow {
  /** The pick (index into the picks) that selected the tool. */
  pick: number;
  /** The name clients see through the profile. */
  name: string;
  server: string;
  exposed: string;
}

/** Which tools the picks select, in the gateway's order and with its first-pick-wins rule. */
export function previewProfile(picks: readonly ProfilePick[], tools: readonly KnownTool[]): { rows: PreviewRow[]; perPick: number[] } {
  const rows: PreviewRow[] = [];
  const perPick = picks.map(() => 0);
  const taken = new Set<string>();
  const names = new Set<string>();
  picks.forEach((p, i) => {
    const re = globToRegExp(p.match);
    if (!re) return;
    const byOriginal = p.match.includes('/');
    for (const t of tools) {
      if (taken.has(t.exposed) || !re.test(byOriginal ? `${t.server}/${t.original}` : t.exposed)) continue;
      const name = p.name ?? t.exposed;
      if (names.has(name)) continue;
      taken.add(t.exposed);
      names.add(name);
      perPick[i]!++;
      rows.push({ pick: i, name, server: t.server, exposed: t.exposed });
    }
  });
  return { rows, perPick };
}

/** The profile's MCP URL for clients, from the gateway's origin and the profile's endpoint path. */
export function profileUrl(origin: string, endpoint: string): string {
  return `${origin.replace(/\/+$/, '')}${endpoint.startsWith('/') ? endpoint : `/${endpoint}`}`;
}
