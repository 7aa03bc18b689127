/** What a benchmark server child and the benchmark say to each other over the IPC channel. */

/** Child → parent. */
export type ChildMessage =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'memory'; readonly rss: number; readonly maxRss: number };

/** Parent → child. */
export type ParentMessage = { readonly type: 'memory?' };

/**
 * The child's side: tells the parent where it listens, answers memory questions, and stops when
 * told (SIGTERM) or when the parent is gone (the IPC channel closes), so it never outlives the run.
 */
export function serveParent(url: string, close: () => Promise<void>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory?') {
      // maxRSS is in kilobytes: the peak over the child's life, beside the RSS of this moment.
      send({ type: 'memory', rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 });
    }
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close()
      .catch((error: unknown) => process.stderr.write(`while closing: ${String(error)}\n`))
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  send({ type: 'listening', url });
}
