import { exposeUri } from '../catalog/index.js';
import type { RawItem } from '../shared/index.js';

/**
 * Rewrite the resource URIs inside a result (resource links, embedded resources, read contents) so
 * that a client can hand them back to the gateway. Returns the same object when nothing changes.
 */
export function exposeResultUris(result: RawItem, serverPrefix: string, prefixed: boolean): RawItem {
  if (!prefixed) return result;
  let changed = false;
  const fix = (block: unknown): unknown => {
    if (!block || typeof block !== 'object') return block;
    const b = block as RawItem;
    if (b['type'] === 'resource_link' && typeof b['uri'] === 'string') {
      changed = true;
      return { ...b, uri: exposeUri(serverPrefix, b['uri'], true) };
    }
    if (b['type'] === 'resource' && b['resource'] && typeof (b['resource'] as RawItem)['uri'] === 'string') {
      changed = true;
      const r = b['resource'] as RawItem;
      return { ...b, resource: { ...r, uri: exposeUri(serverPrefix, r['uri'] as string, true) } };
    }
    return block;
  };
  const out: RawItem = { ...result };
  if (Array.isArray(result['content'])) out['content'] = result['content'].map(fix);
  if (Array.isArray(result['contents'])) {
    out['contents'] = result['contents'].map((c: unknown) => {
      const item = c as RawItem;
      if (item && typeof item['uri'] === 'string') {
        changed = true;
        return { ...item, uri: exposeUri(serverPrefix, item['uri'], true) };
      }
      return c;
    });
  }
  if (Array.isArray(result['messages'])) {
    out['messages'] = result['messages'].map((m: unknown) => {
      const msg = m as RawItem;
      return msg && typeof msg === 'object' && msg['content'] ? { ...msg, content: fix(msg['content']) } : m;
    });
  }
  return changed ? out : result;
}
