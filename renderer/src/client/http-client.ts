/**
 * Web mode: the contract over HTTP (`POST /api/ipc/{method}` answers a Reply) and server-sent events
 * (`/api/events`, one SSE `event:` per contract event). Built with `clientFrom`, so it has exactly
 * the contract's shape.
 */
import {
  clientFrom,
  type ContractClient,
  type Download,
  type EventName,
  type LibraryStatus,
  type Reply,
} from '../../../shared/contract.ts';
import { EVENTS_HTTP_PATH, IPC_HTTP_PREFIX } from '../../../shared/transport.ts';

type Listener = (payload: never) => void;

export function httpClient(): ContractClient {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;

  const dispatch = (event: EventName, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) (listener as (p: unknown) => void)(payload);
  };

  const listening = (event: EventName) => (listeners.get(event)?.size ?? 0) > 0;

  /**
   * Events sent before the stream was (re)connected are lost, and whatever the page fetched
   * meanwhile may be stale: on every (re)connection, the current state is delivered as events.
   */
  function catchUp(): void {
    if (listening('library:changed') || listening('sync:progress')) {
      void invoke('library:status', {}).then((reply) => {
        if (!reply.ok) return;
        const status = reply.value as LibraryStatus;
        dispatch('library:changed', status);
        if (status.sync !== null) dispatch('sync:progress', status.sync);
      });
    }
    if (listening('downloads:progress')) {
      void invoke('downloads:list', {}).then((reply) => {
        if (reply.ok)
          for (const download of reply.value as Download[]) dispatch('downloads:progress', download);
      });
    }
  }

  /** One EventSource for all events, opened on the first subscription; it reconnects by itself. */
  function subscribe(event: EventName): void {
    if (source === null) {
      source = new EventSource(EVENTS_HTTP_PATH);
      source.addEventListener('open', catchUp);
    }
    if (listeners.has(event)) return;
    listeners.set(event, new Set());
    source.addEventListener(event, (message) => {
      let payload: unknown;
      try {
        payload = JSON.parse((message as MessageEvent<string>).data);
      } catch {
        return; // A malformed event is dropped, never half-applied.
      }
      dispatch(event, payload);
    });
  }

  const on: ContractClient['on'] = (event, listener) => {
    subscribe(event);
    const set = listeners.get(event);
    set?.add(listener as Listener);
    return () => {
      set?.delete(listener as Listener);
    };
  };

  return clientFrom(invoke, on);
}

/** Never throws: a network failure or a broken answer becomes a Reply a person can read. */
async function invoke(method: string, input: unknown): Promise<Reply<unknown>> {
  let response: Response;
  try {
    response = await fetch(`${IPC_HTTP_PREFIX}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return failure('Tapedeck’s server is not answering. Is it still running?');
  }
  try {
    const reply = (await response.json()) as Reply<unknown>;
    if (typeof reply === 'object' && reply !== null && 'ok' in reply) return reply;
  } catch {
    // Fall through: not a Reply.
  }
  return failure(`Tapedeck’s server answered ${response.status} ${response.statusText} instead of a reply.`);
}

function failure(message: string): Reply<never> {
  return { ok: false, error: { code: 'internal', message } };
}
