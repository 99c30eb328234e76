import { paginate } from '../catalog/index.js';
import type { RawItem } from '../shared/index.js';
import { markReusable } from './reusable-results.js';

/** Distinct cached views per catalogue version; past this, views are computed per request (still correct). */
const MAX_VIEWS = 512;
const MAX_PAGES = 4096;

/**
 * What each kind of principal sees of each list, and the pages of it, built once per catalogue
 * version. A view is keyed by the policy's view signature, so every full-access principal shares one
 * unfiltered view, and principals with the same allow-lists share theirs.
 */
export class ListPages {
  private version = -1;
  private views = new Map<string, RawItem[]>();
  private pages = new Map<string, RawItem>();
  /** Cursors this gateway issued, per view: only those pages are cached, so made-up cursors cost nothing. */
  private issued = new Set<string>();

  constructor(private readonly pageSize: number) {}

  /** The items of one list visible under a signature (`build` runs only when the view is not cached). */
  view(version: number, list: string, signature: string, build: () => RawItem[]): RawItem[] {
    this.reset(version);
    const key = `${list}\0${signature}`;
    let items = this.views.get(key);
    if (items) return items;
    items = build();
    if (this.views.size < MAX_VIEWS) this.views.set(key, items);
    return items;
  }

  /**
   * One page of a view, as the list result object (`{ [list]: page, nextCursor? }`) marked reusable
   * so its JSON text is serialised once. Throws the pagination's SwitchboardError on a bad cursor.
   */
  page(version: number, list: string, signature: string, cursor: string | undefined, build: () => RawItem[]): RawItem {
    this.reset(version);
    const key = `${list}\0${signature}\0${cursor ?? ''}`;
    const cached = this.pages.get(key);
    if (cached) return cached;
    const { page, nextCursor } = paginate(this.view(version, list, signature, build), cursor, this.pageSize, version);
    const result = markReusable(nextCursor ? { [list]: page, nextCursor } : { [list]: page });
    const issuedKey = (c: string) => `${list}\0${signature}\0${c}`;
    if ((cursor === undefined || this.issued.has(issuedKey(cursor))) && this.pages.size < MAX_PAGES) this.pages.set(key, result);
    if (nextCursor && this.issued.size < MAX_PAGES) this.issued.add(issuedKey(nextCursor));
    return result;
  }

  private reset(version: number): void {
    if (this.version === version) return;
    this.version = version;
    this.views = new Map();
    this.pages = new Map();
    this.issued = new Set();
  }
}
