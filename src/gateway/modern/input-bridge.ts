import { SwitchboardError, type RawItem } from '../../shared/index.js';
import type { RelatedSend } from '../sessions.js';

/** Whether an upstream's result asks the client for input (2026-07-28 multi-round-trip). */
export function isInputRequired(result: unknown): result is RawItem {
  return !!result && typeof result === 'object' && (result as RawItem)['resultType'] === 'input_required';
}

/** What a round of a 2026-era upstream hands back on the retry. */
export interface RoundAnswer {
  inputResponses: Record<string, unknown>;
  requestState?: string;
}

export interface BridgeOptions {
  /** Sends one server→client request to the 2025-era client, on the stream of the request it made. */
  send: RelatedSend;
  /** Repeats the original request upstream with the answers of a round. */
  retry: (answer: RoundAnswer) => Promise<RawItem>;
  /** The client's request (its cancellation ends the exchange). */
  signal?: AbortSignal;
  /** Rounds at most before giving up (an upstream that never finishes). */
  maxRounds: number;
  /** Time at most for all rounds together (people answer elicitations slowly, but not for ever). */
  maxMs: number;
}

const SHAPES: Record<string, string> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/**
 * A 2025-era client over a 2026-era upstream: each `input_required` round is asked of the client as
 * real server→client requests (elicitation/create, sampling/createMessage, roots/list) on its own
 * request's stream, and the upstream is asked again with the answers and its `requestState`, until it
 * gives a final result. Bounded in rounds and in time.
 */
export async function bridgeInputRounds(first: RawItem, opts: BridgeOptions): Promise<RawItem> {
  const deadline = AbortSignal.timeout(opts.maxMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let result = first;
  for (let round = 1; isInputRequired(result); round++) {
    if (round > opts.maxRounds) {
      throw new SwitchboardError('SWB_UPSTREAM_FAILED', `The upstream asked for input more than ${opts.maxRounds} times in one request; the gateway gave up`);
    }
    const requests = (result['inputRequests'] ?? {}) as Record<string, { method?: unknown; params?: RawItem }>;
    const inputResponses: Record<string, unknown> = {};
    await Promise.all(
      Object.entries(requests).map(async ([key, req]) => {
        const method = typeof req?.method === 'string' ? req.method : '';
        if (!SHAPES[method]) throw new SwitchboardError('SWB_UPSTREAM_FAILED', `The upstream asked for input of an unknown kind: ${method || '(none)'}`);
        try {
          inputResponses[key] = await opts.send({ method, ...(req.params ? { params: req.params } : {}) }, undefined as never, { signal });
        } catch (err) {
          if (deadline.aborted) throw new SwitchboardError('SWB_UPSTREAM_TIMEOUT', `The client did not answer the upstream's ${method} in time`);
          if (opts.signal?.aborted) throw err;
          throw new SwitchboardError('SWB_UPSTREAM_FAILED', `The upstream needs ${SHAPES[method]} (${method}), which the client did not provide: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
    const state = result['requestState'];
    result = await opts.retry({ inputResponses, ...(typeof state === 'string' ? { requestState: state } : {}) });
  }
  return result;
}
