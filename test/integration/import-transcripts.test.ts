/**
 * `npm run import -- --transcripts DIR_OR_FILES`, run as its own process on a real catalog: files
 * matched to calls by their name (a catalogued recording's base name) or by a dispatch_id /
 * interaction_id inside, unmatched and bad files listed with the reason, a summary line, and the
 * exit code a script can rely on.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../electron/core/catalog/catalog-store.ts';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import { TranscriptStore } from '../../electron/core/transcripts/transcript-store.ts';
import { parseRecordingKey, recordingKeyFor } from '../../shared/dispatch.ts';
import { runTapedeck } from '../support/tapedeck-process.ts';

const PREFIX = 'egress-recordings/';
const IMPORT = 'electron/core/cli/import.ts';
const FIXTURES = join(import.meta.dirname, '../fixtures/transcripts');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Louis Smith's call: recorded at T, 9 s after its dispatch (the LiveKit fixture's times fit it). */
const T = 1754653479;
const LOUIS = recordingKeyFor(PREFIX, '15103455686', T);
const OTHER = recordingKeyFor(PREFIX, '15550100001', T + 600);
const VTT = `WEBVTT

00:00:01.000 --> 00:00:03.000
<v Agent>Hello, this is Ava.</v>

00:00:03.500 --> 00:00:05.000
<v Customer>I want to speak to a lawyer.</v>
`;

let dir: string;
let dataDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-import-transcripts-'));
  dataDir = join(dir, 'data');
  // A catalog a sync and a metadata import have filled: two recordings, three calls (one without a recording).
  const db = openCatalog(join(dataDir, 'catalog.sqlite'));
  const store = new CatalogStore(db);
  store.upsertRecordings(
    [LOUIS, OTHER].map((key) => ({
      ...parseRecordingKey(key, PREFIX)!,
      size: 1,
      etag: 'e',
      lastModified: 1,
    })),
    Date.now(),
  );
  const call = (interaction_id: string, phone: string, ts: number, customer_name: string) => ({
    interaction_id,
    customer_name,
    phone: `+${phone}`,
    status: 'COMPLETED',
    outcome: null,
    duration: 15,
    start_time: new Date(ts * 1000).toISOString(),
    end_time: new Date((ts + 15) * 1000).toISOString(),
    dispatch_id: `dispatch_${ts}_${phone}`,
  });
  store.upsertInteractions([
    call('call-louis', '15103455686', T - 9, 'Louis Smith'), // the LiveKit fixture's dispatch_id
    call('call-other', '15550100001', T + 600, 'Ann'),
    call('call-failed', '15550100002', T + 900, 'Sam'),
  ]);
  db.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runTapedeck(IMPORT, args, { TAPEDECK_DATA_DIR: dataDir }, { home: dir });

function stored(subject: { recording_key: string } | { interaction_id: string }) {
  const db = openCatalog(join(dataDir, 'catalog.sqlite'));
  try {
    return new TranscriptStore(db).transcriptOf(subject);
  } finally {
    db.close();
  }
}

describe('npm run import -- --transcripts', () => {
  it('imports a folder: by name, by dispatch_id, by interaction_id; lists what it could not match or read', async () => {
    const folder = join(dir, 'exports');
    mkdirSync(join(folder, 'nested'), { recursive: true });
    // By name (a Transcribe job's output, named after the recording).
    writeFileSync(
      join(folder, 'outbound-15550100001_1754654079.transcript.json'),
      fixture('transcribe-channels.json'),
    );
    // By the dispatch_id inside (a LiveKit history: placed by the recording's key).
    writeFileSync(join(folder, 'nested', 'session-42.json'), fixture('livekit-history.json'));
    // By the interaction_id inside, a call without a recording.
    writeFileSync(
      join(folder, 'contact-lens-export.json'),
      JSON.stringify({ ...JSON.parse(fixture('contact-lens.json')), interaction_id: 'call-failed' }),
    );
    // Not matched: a recording the catalog does not have; no id inside.
    writeFileSync(join(folder, 'outbound-19995550000_1754000000.vtt'), VTT);
    // Bad: cut short; unrecognised.
    writeFileSync(join(folder, 'broken.transcript.json'), '{"results": {"items": [');
    writeFileSync(join(folder, 'notes.json'), '{"hello": "world"}');
    // Not a transcript file name: left alone in a folder.
    writeFileSync(join(folder, 'README.txt'), 'exports from the QA team');

    const result = await run(['--transcripts', folder]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^skipped .*broken\.transcript\.json: it is not valid JSON \(.*\): the file may have been cut short/,
      ),
    );
    expect(lines.find((line) => line.includes('notes.json'))).toMatch(
      /^skipped .*notes\.json: it is JSON with none of the fields of a known transcript/,
    );
    expect(lines.find((line) => line.includes('outbound-19995550000'))).toMatch(
      /^not matched .*outbound-19995550000_1754000000\.vtt: no recording named outbound-19995550000_1754000000 is in the catalog.*sync the bucket first/,
    );
    expect(lines.find((line) => line.startsWith('Transcripts:'))).toMatch(
      /^Transcripts: 3 imported \(\d+ turns\), 1 not matched to a call, 2 unreadable, of 6 files\.$/,
    );
    expect(result.stdout).not.toContain('README.txt');

    expect(stored({ recording_key: OTHER })).toMatchObject({
      format: 'transcribe',
      etag: null,
      source_key: join(folder, 'outbound-15550100001_1754654079.transcript.json'),
    });
    const louis = stored({ recording_key: LOUIS })!;
    expect(louis).toMatchObject({
      format: 'livekit',
      alignment: { source: 'key', recording_start_ms: T * 1000 },
    });
    expect(louis.segments[0]!.start_ms).toBe(1250);
    expect(stored({ interaction_id: 'call-failed' })).toMatchObject({ format: 'contact-lens' });
  });

  it('imports files named one by one, and a second import replaces the first', async () => {
    const file = join(dir, 'outbound-15550100001_1754654079.vtt');
    writeFileSync(file, VTT);
    const result = await run(['--transcripts', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Transcripts: 1 imported \(2 turns\), 0 not matched to a call, 0 unreadable, of 1 file\.$/m,
    );
    expect(stored({ recording_key: OTHER })!.segments.map((segment) => segment.text)).toEqual([
      'Hello, this is Ava.',
      'I want to speak to a lawyer.',
    ]);
  });

  it('exits 1 with a clear message when nothing was imported', async () => {
    const file = join(dir, 'unknown-call.vtt');
    writeFileSync(file, VTT);
    const unmatched = await run(['--transcripts', file]);
    expect(unmatched.code).toBe(1);
    expect(unmatched.stdout).toMatch(
      /^not matched .*unknown-call\.vtt: its name is not a recording’s \(outbound-\{phone\}_\{unix seconds\}\) and it has no dispatch_id or interaction_id inside$/m,
    );
    expect(unmatched.stderr).toBe(
      'tapedeck: no transcript was imported: the file above was not matched to a call or could not be read (each says why).\n',
    );

    const empty = join(dir, 'empty-folder');
    mkdirSync(empty);
    const none = await run(['--transcripts', empty]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^tapedeck: no transcript files in .*empty-folder: a folder is searched for \.json, \.vtt and \.srt files\.\n$/,
    );

    const missing = await run(['--transcripts', join(dir, 'no-such-folder')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-folder/);

    const usage = await run(['--transcripts']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--transcripts DIR_OR_FILE/);
  });
});
