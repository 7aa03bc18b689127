/**
 * THE one place IPC channels are registered. Every channel is a contract method name; every
 * message goes through one wrapper that checks who sent it before the core validates the payload.
 * Events flow the other way through one queue, so nothing the core says at start-up is lost
 * while the page is still loading.
 *
 * Electron objects are passed in (types only here), so all of this runs under plain Node in tests.
 */
import type { WebContents } from 'electron';
import { METHOD_NAMES, isEventName, type EventName, type Reply } from '../../shared/contract.ts';
import type { Logger } from '../core/logger.ts';
import { isAppUrl } from './app-url.ts';

/** What the wrapper calls: the core (or a promise of it, while it starts). */
export interface ContractCaller {
  call(method: unknown, input: unknown): Promise<Reply<unknown>>;
}

/** The parts of a frame the sender check reads (Electron's WebFrameMain). */
export interface FrameIdentity {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of an `ipcMain.handle` event the sender check reads (Electron's IpcMainInvokeEvent). */
export interface InvokeEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameIdentity | null;
}

/** The parts of our window the sender check compares against (Electron's BrowserWindow). */
export interface TrustedWindow {
  isDestroyed(): boolean;
  readonly webContents: { readonly id: number; readonly mainFrame: FrameIdentity };
}

export interface IpcMainRegistry {
  handle(channel: string, listener: (event: InvokeEvent, input: unknown) => Promise<Reply<unknown>>): void;
  removeHandler(channel: string): void;
}

export const FORBIDDEN_REPLY = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the Tapedeck window.' },
} as const satisfies Reply<never>;

/**
 * Why a message may not be answered, or null when it comes from the top frame of our main window
 * showing the app's own page. Anything else (another window, a subframe, a page that navigated
 * away, a frame already gone) is refused.
 */
export function senderProblem(event: InvokeEvent, window: TrustedWindow | null): string | null {
  if (!window || window.isDestroyed()) return 'there is no main window';
  try {
    if (event.sender.id !== window.webContents.id) return 'it came from another web contents';
    const frame = event.senderFrame;
    // Null when the frame navigated or was destroyed after sending.
    if (!frame) return 'its frame is gone';
    if (frame.parent !== null) return 'it came from a subframe';
    const top = window.webContents.mainFrame;
    if (frame.processId !== top.processId || frame.routingId !== top.routingId) {
      return 'it came from a frame that is not the main frame';
    }
    if (!isAppUrl(frame.url)) return `it came from a page outside the app (${frame.url.slice(0, 200)})`;
    return null;
  } catch (error) {
    // Reading a disposed frame throws; a frame we cannot read is not one we trust.
    return `its frame could not be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

export interface ContractIpcOptions {
  readonly ipcMain: IpcMainRegistry;
  readonly core: ContractCaller;
  /** Read at each message: the main window may be closed and re-created (macOS). */
  readonly getWindow: () => TrustedWindow | null;
  readonly log: Logger;
}

/** The wrapper every method goes through: sender check, then the core (which validates the payload). */
export async function answerInvoke(
  method: string,
  event: InvokeEvent,
  input: unknown,
  options: Omit<ContractIpcOptions, 'ipcMain'>,
): Promise<Reply<unknown>> {
  const problem = senderProblem(event, options.getWindow());
  if (problem !== null) {
    options.log.warn(`IPC ${method} refused: ${problem}`);
    return FORBIDDEN_REPLY;
  }
  try {
    return await options.core.call(method, input);
  } catch (error) {
    // core.call never throws; this is the core failing to start. Say so as a value, never reject.
    options.log.error(`IPC ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    return {
      ok: false,
      error: { code: 'internal', message: 'Tapedeck could not answer. See the log for details.' },
    };
  }
}

/** Registers one handler per contract method; returns a function that removes them all. */
export function registerContractHandlers(options: ContractIpcOptions): () => void {
  for (const method of METHOD_NAMES) {
    options.ipcMain.handle(method, (event, input) => answerInvoke(method, event, input, options));
  }
  return () => {
    for (const method of METHOD_NAMES) options.ipcMain.removeHandler(method);
  };
}

/** Where events go: the main window's web contents. */
export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/**
 * Holds events until the window's page has loaded, then sends them in order. A reload or a crashed
 * renderer starts queueing again. The queue is bounded: when it overflows, the oldest go (the
 * renderer fetches the current state on load anyway; events only keep it fresh).
 */
export class RendererEventQueue {
  private target: EventTarget | null = null;
  private ready = false;
  private readonly queued: Array<{ event: EventName; payload: unknown }> = [];

  constructor(
    private readonly log: Logger,
    private readonly capacity = 500,
  ) {}

  /** A new window: queue until it says its page has loaded. */
  attach(target: EventTarget): void {
    this.target = target;
    this.ready = false;
  }

  detach(target: EventTarget): void {
    if (this.target !== target) return;
    this.target = null;
    this.ready = false;
  }

  markLoading(): void {
    this.ready = false;
  }

  markReady(): void {
    this.ready = true;
    this.flush();
  }

  push(event: EventName, payload: unknown): void {
    // The core only emits contract events; this keeps a bug there from inventing a channel.
    if (!isEventName(event)) {
      this.log.warn(`not forwarding ${String(event)}: not a contract event`);
      return;
    }
    this.queued.push({ event, payload });
    if (this.queued.length > this.capacity) this.queued.splice(0, this.queued.length - this.capacity);
    this.flush();
  }

  get pending(): number {
    return this.queued.length;
  }

  private flush(): void {
    const target = this.target;
    if (!target || !this.ready) return;
    while (this.queued.length > 0) {
      if (target.isDestroyed()) return;
      const next = this.queued.shift()!;
      try {
        target.send(next.event, next.payload);
      } catch (error) {
        // A payload that cannot be cloned must not stop the ones after it.
        this.log.warn(
          `could not send ${next.event}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

/**
 * Connects a window's web contents to the queue: ready once its page has loaded, queueing again
 * while it navigates (reload) or after its renderer is gone, detached when it is destroyed.
 */
export function forwardEventsTo(queue: RendererEventQueue, contents: WebContents): void {
  queue.attach(contents);
  if (!contents.isLoading() && contents.getURL() !== '') queue.markReady();
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) queue.markLoading();
  });
  contents.on('did-finish-load', () => queue.markReady());
  contents.on('render-process-gone', () => queue.markLoading());
  contents.on('destroyed', () => queue.detach(contents));
}
