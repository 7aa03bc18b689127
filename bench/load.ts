import autocannon from 'autocannon';

export interface LoadOptions {
  readonly connections: number;
  /** Seconds of load whose figures are thrown away (JIT, caches, connection set-up). */
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  /** Completed requests per second, over the measured part. */
  readonly requestsPerSecond: number;
  readonly completed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses by status code, e.g. `{ "200": 81234 }`. */
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Socket errors and timeouts: requests that got no response. */
  readonly errors: number;
}

/**
 * Puts `url` under `connections` concurrent keep-alive connections, each request taking the next
 * of `paths` in turn. Latencies are recorded here, from autocannon's per-response event, because
 * its own histogram keeps whole milliseconds only.
 */
export async function runLoad(
  url: string,
  paths: readonly string[],
  options: LoadOptions,
): Promise<LoadResult> {
  if (paths.length === 0) throw new Error('no paths to request');
  let next = 0;
  const requests = [
    {
      method: 'GET',
      setupRequest: (request: { path?: string }) => {
        const path = paths[next % paths.length]!;
        next += 1;
        return { ...request, path };
      },
    },
  ];
  await autocannon({ url, connections: options.connections, duration: options.warmupSeconds, requests });

  const latencies: number[] = [];
  const run = autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests,
  });
  run.on('response', (_client, _statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await run;
  latencies.sort((a, b) => a - b);
  const statusCounts: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) statusCounts[status] = count;
  const completed = result.requests.total ?? latencies.length;
  return {
    requestsPerSecond: completed / result.duration,
    completed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statusCounts,
    errors: result.errors, // timeouts are counted among them
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
