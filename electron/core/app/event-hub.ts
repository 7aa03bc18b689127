import type { EventName, EventPayload } from '../../../shared/contract.ts';

type Listener = (event: EventName, payload: unknown) => void;

/** The contract's events on their way out: to the desktop window (IPC) or web mode's event stream. */
export class EventHub {
  readonly #listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners) listener(event, payload);
  }

  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#listeners.clear();
  }
}
