import type { ContractHandlers, EventName, Reply } from '../../../shared/contract.ts';
import type { DemoPolicy, S3ClientFactory } from '../library/library-session.ts';
import type { Logger } from '../logger.ts';
import type { MediaResponse } from '../playback/media-response.ts';
import type { AppPorts } from './app-ports.ts';

export interface TapedeckAppOptions {
  /** The user-data folder: settings, the catalog, the demo's files. */
  readonly dataDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly ports: AppPorts;
  readonly log?: Logger;
  /** Web mode also serves the renderer (`rendererDir`) and the contract over HTTP (`serve`, `demo`). */
  readonly webMode?: boolean;
  readonly rendererDir?: string;
  /** When the demo library opens (see DemoPolicy); default `never`. */
  readonly demo?: DemoPolicy;
  /** false: no local HTTP API (tests of the services alone). */
  readonly listen?: boolean;
  /** Desktop: a taken port is logged and the app runs without its API; headless: it is an error. */
  readonly portTakenIsFatal?: boolean;
  /** Tests add what their S3 emulator needs; default `createS3Client`. */
  readonly createS3Client?: S3ClientFactory;
  readonly now?: () => number;
}

export interface TapedeckApp {
  /** Validates the method and input against the contract and answers a Reply; never throws. */
  call(method: unknown, input: unknown): Promise<Reply<unknown>>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  openMedia(key: string, range: string | undefined): Promise<MediaResponse>;
  readonly apiUrl: string | null;
  readonly handlers: ContractHandlers;
  close(): Promise<void>;
}
