/**
 * Results that stay valid for a whole catalogue version (list pages) are serialised once and the
 * JSON text reused: a 5,000-tool catalogue is megabytes of JSON that would otherwise be rebuilt for
 * every client on every tools/list.
 */
const reusable = new WeakSet<object>();
const serialized = new WeakMap<object, string>();

/** Mark a result object as immutable, so its JSON text may be cached. */
export function markReusable<T extends object>(result: T): T {
  reusable.add(result);
  return result;
}

/** JSON text of one JSON-RPC message, reusing the cached text of a reusable result. */
export function serializeMessage(message: object): string {
  const m = message as { id?: unknown; result?: unknown };
  const result = m.result;
  if (result && typeof result === 'object' && reusable.has(result)) {
    let text = serialized.get(result);
    if (text === undefined) {
      text = JSON.stringify(result);
      serialized.set(result, text);
    }
    return `{"jsonrpc":"2.0","id":${JSON.stringify(m.id)},"result":${text}}`;
  }
  return JSON.stringify(message);
}
