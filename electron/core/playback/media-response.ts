import type { Readable } from 'node:stream';

/** A recording streamed through main: what the desktop protocol and the web route both answer. */
export interface MediaResponse {
  /** 200, 206 (a Range), 404, 416 or 502/503. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The bytes, or null for an error (then `headers` has a JSON content type and `errorBody` the detail). */
  readonly body: Readable | null;
  readonly errorBody?: string;
}
