import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault the proxy injects into the next matching request, instead of (or while) passing it on. */
export type Fault =
  /** S3's throttling answer. */
  | { readonly kind: 'slow-down' }
  /** 500 InternalError. */
  | { readonly kind: 'internal-error' }
  /** The connection is closed without an answer. */
  | { readonly kind: 'reset' }
  /** The answer starts only after `ms`. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** The answer's headers and the first `bytes` of its body arrive, then the connection is cut. */
  | { readonly kind: 'truncate'; readonly bytes: number };

export interface FaultProxy {
  /** Use this as the S3 endpoint. */
  readonly endpoint: string;
  /** Faults for the next requests whose method and path match, in order (one each). */
  inject(faults: readonly Fault[], match?: (method: string, path: string) => boolean): void;
  /** Drops the faults not injected yet. */
  clear(): void;
  /** Requests seen, as `METHOD path`. */
  readonly seen: string[];
  /** The same requests with their headers (e.g. to see the `Range` a resumed download asks for). */
  readonly requests: SeenRequest[];
  /** Faults injected so far. */
  readonly injected: Fault[];
  close(): Promise<void>;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

const S3_ERROR = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/**
 * A loopback HTTP proxy in front of the S3 emulator that injects the faults real S3 and real
 * networks produce: throttling, server errors, resets, slow and truncated answers. Requests pass
 * through unchanged (signatures stay valid: the Host header is kept).
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const queue: { fault: Fault; match: (method: string, path: string) => boolean }[] = [];
  const seen: string[] = [];
  const requests: SeenRequest[] = [];
  const injected: Fault[] = [];

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    seen.push(`${method} ${path}`);
    requests.push({ method, path, headers: req.headers });
    const index = queue.findIndex((entry) => entry.match(method, path));
    const fault = index === -1 ? undefined : queue.splice(index, 1)[0]!.fault;
    if (fault) injected.push(fault);

    if (fault?.kind === 'slow-down') {
      req.resume();
      res
        .writeHead(503, { 'content-type': 'application/xml' })
        .end(S3_ERROR('SlowDown', 'Please reduce your request rate.'));
      return;
    }
    if (fault?.kind === 'internal-error') {
      req.resume();
      res
        .writeHead(500, { 'content-type': 'application/xml' })
        .end(S3_ERROR('InternalError', 'We encountered an internal error.'));
      return;
    }
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const forward = () => {
      const proxied = httpRequest(
        { host: upstream.hostname, port: upstream.port, method, path, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (fault?.kind !== 'truncate') {
            answer.pipe(res);
            return;
          }
          let sent = 0;
          answer.on('data', (chunk: Buffer) => {
            const room = fault.bytes - sent;
            if (room > 0) res.write(chunk.subarray(0, room));
            sent += chunk.length;
            if (sent >= fault.bytes) {
              answer.destroy();
              res.socket?.destroy();
            }
          });
        },
      );
      proxied.on('error', () => res.socket?.destroy());
      req.pipe(proxied);
    };
    if (fault?.kind === 'delay') setTimeout(forward, fault.ms);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject(faults, match = () => true) {
      for (const fault of faults) queue.push({ fault, match });
    },
    clear() {
      queue.length = 0;
    },
    seen,
    requests,
    injected,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
