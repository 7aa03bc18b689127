import { format, resolveConfig } from 'prettier';
import type { LoadResult } from './load.ts';
import type { PresignTimings, UrlCheck } from './presign-check.ts';
import type { MemoryUse } from './server-child.ts';

export interface ScenarioResult {
  readonly name: string;
  readonly bodyBytes: number;
  readonly product: LoadResult;
  readonly ceiling: LoadResult;
  /** The parts of the target, in words, each with whether the product met it. */
  readonly targets: readonly { readonly label: string; readonly met: boolean }[];
}

export interface BenchReport {
  readonly date: Date;
  readonly machine: string;
  readonly setup: readonly string[];
  readonly scenarios: readonly ScenarioResult[];
  readonly memoryBeforeLoad: MemoryUse;
  readonly memory: MemoryUse;
  readonly memoryTargetBytes: number;
  readonly presign: PresignTimings;
  readonly urlChecks: readonly UrlCheck[];
}

/** Every response of a product run was a 200, and none was lost. */
export function allOk(result: LoadResult): boolean {
  const statuses = Object.keys(result.statusCounts);
  return result.errors === 0 && statuses.length === 1 && statuses[0] === '200';
}

/**
 * The report as markdown, laid out by Prettier with the project's settings (aligned tables), so
 * that the written file passes `prettier --check` like the rest of the repository.
 */
export async function formatReport(report: BenchReport, file: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(reportMarkdown(report), { ...options, parser: 'markdown' });
}

function reportMarkdown(report: BenchReport): string {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const lines = [
    `# Tapedeck benchmark, ${report.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${report.machine}`,
    '',
    ...report.setup.map((line) => `- ${line}`),
    '',
    '## Recording API under load, beside the machine’s ceiling',
    '',
    '| scenario | req/s | p50 ms | p99 ms | ceiling req/s | ceiling p50 ms | ceiling p99 ms | % of ceiling | non-200 / errors | target | result |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...report.scenarios
      .map((s) =>
        [
          `${s.name} (${s.bodyBytes.toLocaleString('en-US')} B body)`,
          whole(s.product.requestsPerSecond),
          ms(s.product.p50Ms),
          ms(s.product.p99Ms),
          whole(s.ceiling.requestsPerSecond),
          ms(s.ceiling.p50Ms),
          ms(s.ceiling.p99Ms),
          `${((100 * s.product.requestsPerSecond) / s.ceiling.requestsPerSecond).toFixed(0)} %`,
          problems(s.product),
          s.targets.map((t) => t.label).join(' and '),
          verdict(s),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    '## Memory',
    '',
    '| measure | value | target | result |',
    '| --- | ---: | --- | --- |',
    `| server RSS before the load (started, catalog opened) | ${mb(report.memoryBeforeLoad.rss)} | (for information) | |`,
    `| server RSS after the load | ${mb(report.memory.rss)} | < ${mb(report.memoryTargetBytes)} | ${report.memory.rss < report.memoryTargetBytes ? 'pass' : 'MISS'} |`,
    `| server peak RSS (whole run) | ${mb(report.memory.maxRss)} | (for information) | |`,
    '',
    '## Presigning',
    '',
    '| way | µs per URL | URLs/s (one core) |',
    '| --- | ---: | ---: |',
    `| SDK \`getSignedUrl\`, one call per URL | ${report.presign.sdkMicrosPerUrl.toFixed(1)} | ${whole(1e6 / report.presign.sdkMicrosPerUrl)} |`,
    `| local signer, \`batch().sign\` per URL | ${report.presign.localMicrosPerUrl.toFixed(1)} | ${whole(1e6 / report.presign.localMicrosPerUrl)} |`,
    `| local signer, new batch + 2 URLs (one GET answer) | ${report.presign.localMicrosPerGet.toFixed(1)} per answer | ${whole(1e6 / report.presign.localMicrosPerGet)} answers/s |`,
    '',
    `Each timed over ${report.presign.urls.toLocaleString('en-US')} URLs in-process. Locally signed URLs fetched from the S3 emulator:`,
    '',
    '| URL | expected | got | result |',
    '| --- | ---: | ---: | --- |',
    ...report.urlChecks.map((c) => `| ${c.what} | ${c.expected} | ${c.status} | ${c.ok ? 'pass' : 'FAIL'} |`),
    '',
  ];
  return lines.join('\n');
}

function verdict(s: ScenarioResult): string {
  if (!allOk(s.product)) return 'INVALID (non-200 or errors)';
  const missed = s.targets.filter((t) => !t.met);
  if (missed.length === 0) return 'pass';
  const met = s.targets.filter((t) => t.met);
  return `MISS (${missed.map((t) => t.label).join(', ')})${met.length ? `; met ${met.map((t) => t.label).join(', ')}` : ''}`;
}

function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ms(value: number): string {
  return value.toFixed(2);
}

function problems(result: LoadResult): string {
  const non200 = Object.entries(result.statusCounts)
    .filter(([status]) => status !== '200')
    .reduce((sum, [, count]) => sum + count, 0);
  return `${non200} / ${result.errors}`;
}
