/**
 * The README as a newcomer meets it: every curl example runs against the demo library (started as
 * `npm run demo` starts it, in this process) and answers something, the Configuration table lists
 * every environment variable the program reads, and the page stays short.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadless, type HeadlessApp } from '../../electron/core/cli/run-headless.ts';
import { openApiDocument } from '../../electron/core/http/openapi.ts';
import { silentLogger } from '../../electron/core/logger.ts';
import { answerProblems } from './openapi-conformance.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const README_BASE = 'http://localhost:8000';
const run = promisify(execFile);

/** The `curl …` lines of the README's shell blocks, as written. */
function curlExamples(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((match) => match[1]!);
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.trim().startsWith('curl ')));
}

/** The text of one `## ` section of the README. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "## ${title}" section`).toBeGreaterThan(-1);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** Shell words, as bash splits them for these simple lines; an unquoted & or ? would not survive. */
function words(line: string): string[] {
  const found: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const bare = match[3];
    if (bare !== undefined && /[&;|<>()]/.test(bare)) {
      throw new Error(`README example cuts at a shell character, quote its URL: ${line}`);
    }
    found.push(match[1] ?? match[2] ?? bare!);
  }
  return found;
}

interface Ran {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const hasCurl = (() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * Runs an example through bash and curl as a reader would, or the same request by fetch (which
 * needs no curl on the machine, and refuses a curl option it does not know).
 */
async function runExample(line: string, base: string, cwd: string, via: 'curl' | 'fetch'): Promise<Ran> {
  const command = line.trim().replaceAll(README_BASE, base);
  const args = words(command).slice(1);
  const output = args.includes('-o') ? join(cwd, args[args.indexOf('-o') + 1]!) : null;
  if (via === 'curl') {
    const { stdout } = await run(
      'bash',
      ['-c', `${command} -sS --write-out '\\n%{http_code}\\n%{content_type}'`],
      { cwd },
    );
    const lines = stdout.split('\n');
    const contentType = lines.pop()!;
    const status = Number(lines.pop());
    const body = output ? readFileSync(output, 'utf8') : lines.join('\n');
    return { status, contentType, body };
  }
  const known = new Set(['-X', '-o']);
  const url = args.find((arg, index) => !arg.startsWith('-') && !known.has(args[index - 1] ?? ''));
  for (const arg of args) {
    if (arg.startsWith('-') && !known.has(arg)) throw new Error(`curl option ${arg} is not understood here`);
  }
  const method = args.includes('-X') ? args[args.indexOf('-X') + 1]! : 'GET';
  const response = await fetch(url!, { method });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** True when an answer holds something: a recording, calls, a sync status, CSV rows. */
function holdsSomething(ran: Ran): boolean {
  if (ran.contentType.startsWith('text/csv')) return ran.body.trimEnd().split('\r\n').length > 1;
  const body = JSON.parse(ran.body) as Record<string, unknown>;
  if (Array.isArray(body.recordings)) return body.recordings.length > 0;
  if (Array.isArray(body.forms)) return body.forms.length > 0;
  if (Array.isArray(body.reviews)) return body.reviews.length > 0;
  if (Array.isArray(body.segments)) return body.segments.length > 0;
  if ('sync' in body) return body.sync !== null;
  return typeof body.recording_url === 'string' && body.recording_url !== '';
}

let demo: HeadlessApp;
let dataDir: string;
let base: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-readme-'));
  demo = await startHeadless('demo', silentLogger, { TAPEDECK_PORT: '0', TAPEDECK_DATA_DIR: dataDir });
  base = demo.app.apiUrl!;
  // The demo syncs its listing as it opens; the examples read what that sync links.
  for (let tries = 0; tries < 100; tries += 1) {
    const { sync } = (await (await fetch(`${base}/sync`)).json()) as { sync: { state: string } | null };
    if (sync?.state === 'succeeded') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the demo did not finish its first sync');
}, 60_000);

afterAll(async () => {
  await demo?.app.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the README', () => {
  const examples = curlExamples(README);

  it('has curl examples, and the demo catalog in the folder npm run demo names', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(demo.catalogFile).toBe(join(dataDir, 'demo', 'catalog.sqlite'));
    expect(existsSync(demo.catalogFile)).toBe(true);
  });

  const runs = [
    ...examples.map((line) => ({ line, via: 'fetch' as const })),
    ...(hasCurl ? examples.map((line) => ({ line, via: 'curl' as const })) : []),
  ];
  it.each(runs)('runs `$line` against the demo ($via) and gets something back', async ({ line, via }) => {
    const cwd = mkdtempSync(join(tmpdir(), 'tapedeck-curl-'));
    try {
      const ran = await runExample(line, base, cwd, via);
      expect(ran.status, ran.body).toBeLessThan(300);
      expect(holdsSomething(ran), ran.body).toBe(true);
      const path = line.match(/localhost:8000(\/[^"\s]*)/)![1]!;
      const parsed = ran.contentType.startsWith('application/json')
        ? (JSON.parse(ran.body) as unknown)
        : ran.body;
      const method = line.includes('-X POST') ? 'POST' : 'GET';
      expect(
        answerProblems(openApiDocument, {
          method,
          path,
          status: ran.status,
          contentType: ran.contentType,
          body: parsed,
        }),
      ).toEqual([]);
      if (via === 'curl' && line.includes(' -o ')) expect(readdirSync(cwd)).toHaveLength(1);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('lists in its Configuration section every environment variable the program reads', () => {
    const configuration = section('Configuration');
    const read = new Set<string>();
    const scan = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) scan(path);
        else if (entry.name.endsWith('.ts')) {
          const text = readFileSync(path, 'utf8');
          for (const match of text.matchAll(
            /\benv\??\.([A-Z][A-Z0-9_]+)|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g,
          )) {
            read.add(match[1] ?? match[2]!);
          }
          // Names kept in tables of variables (the settings the environment pins).
          for (const match of text.matchAll(/['"]((?:TAPEDECK|AWS|S3)_[A-Z0-9_]+)['"]/g)) read.add(match[1]!);
        }
      }
    };
    for (const dir of ['electron', 'shared']) scan(join(ROOT, dir));
    read.delete('HOME'); // the user's home, which every path default starts from
    expect(read.size).toBeGreaterThan(15);
    const missing = [...read].filter((name) => !configuration.includes(name)).sort();
    expect(missing).toEqual([]);
  });

  it('is short enough to read in five minutes, keeps the CI test command, and links docs that exist', () => {
    expect(Buffer.byteLength(README)).toBeLessThan(12 * 1024);
    expect(section('Start here')).toContain(
      'npm ci && npm test         # typecheck, lint, and every test (unit, integration, browser end-to-end)',
    );
    const links = [...README.matchAll(/\]\(((?:docs\/)[^)#\s]+)/g)].map((match) => match[1]!);
    expect(links).toEqual(
      expect.arrayContaining([
        'docs/recording-api.md',
        'docs/architecture.md',
        'docs/performance.md',
        'docs/security.md',
        'docs/metadata.md',
      ]),
    );
    for (const link of links) expect(existsSync(join(ROOT, link)), link).toBe(true);
    expect(readFileSync(join(ROOT, 'docs/recording-api.md'), 'utf8')).toContain(
      'GET /recordings/{dispatch_id}',
    );
  });
});
