/**
 * Transcripts found by the listing sync, against a real S3 server (s3rver on loopback) and a real
 * catalog, through openLibrary's wiring: beside the recording or under the transcripts prefix,
 * read once per ETag, read again when changed, a broken one skipped and counted (the recording
 * still listed), forgotten with its file or its recording, LiveKit histories placed by the Egress
 * manifest, and the team's folder left alone.
 */
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Location } from '../../electron/core/config.ts';
import { openLibrary, type Library } from '../../electron/core/library/open-library.ts';
import type { Logger } from '../../electron/core/logger.ts';
import { SyncCheckpointStore } from '../../electron/core/catalog/sync-checkpoint-store.ts';
import { RecordingBucket } from '../../electron/core/s3/recording-bucket.ts';
import { ListingSync, type SyncStatus } from '../../electron/core/sync/listing-sync.ts';
import { teamPrefixFor } from '../../electron/core/team/team-prefix.ts';
import { transcriptObjectReader } from '../../electron/core/transcripts/read-transcript-object.ts';
import { TranscriptIngest } from '../../electron/core/transcripts/transcript-ingest.ts';
import { CallsService } from '../../electron/core/calls/calls-service.ts';
import { TranscriptsService } from '../../electron/core/transcripts/transcripts-service.ts';
import { callQuerySchema } from '../../shared/contract.ts';
import { recordingKeyFor } from '../../shared/dispatch.ts';
import { emulatorEndpoint } from '../support/emulator-endpoint.ts';
import { createEmulatorClient, createTestBucket, putTestObject } from '../support/s3-emulator.ts';

const PREFIX = 'egress-recordings/';
const T = 1754006400; // 2025-08-01T00:00:00Z
const FIXTURES = join(import.meta.dirname, '../fixtures/transcripts');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const VTT = `WEBVTT

00:00:01.000 --> 00:00:03.500
<v Agent>Hello, this is Ava from Northwind Billing.</v>

00:00:04.000 --> 00:00:06.000
<v Customer>I want to speak to a lawyer.</v>
`;

let dir: string;
let s3: S3Client;
const libraries: Library[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-transcripts-sync-'));
  s3 = createEmulatorClient(emulatorEndpoint());
});

afterAll(() => {
  for (const library of libraries) library.close();
  s3?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Request {
  readonly command: string;
  readonly key?: string;
  readonly prefix?: string;
}

interface Harness {
  readonly bucket: string;
  readonly library: Library;
  readonly warnings: string[];
  /** Every S3 request the library made, in order. */
  readonly requests: Request[];
  put(key: string, body: string): Promise<void>;
  remove(key: string): Promise<void>;
  catalogKeys(): string[];
  /** The transcript objects the library read (GETs), since the last call. */
  transcriptReads(): string[];
}

async function harness(
  name: string,
  location: Partial<Pick<S3Location, 'prefix' | 'transcriptsPrefix' | 'teamPrefix'>> = {},
): Promise<Harness> {
  const bucket = await createTestBucket(s3, name);
  const warnings: string[] = [];
  const requests: Request[] = [];
  const log: Logger = { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
  const library = openLibrary(
    {
      s3: {
        bucket,
        prefix: PREFIX,
        region: 'us-east-1',
        endpoint: emulatorEndpoint(),
        forcePathStyle: true,
        ...location,
      },
      host: '127.0.0.1',
      port: 0,
      dataDir: mkdtempSync(join(dir, `${name}-`)),
      interactionsFile: undefined,
    },
    {
      log,
      createS3Client: () => {
        const client = createEmulatorClient(emulatorEndpoint());
        client.middlewareStack.add(
          (next, context) => (args) => {
            const input = args.input as { Key?: string; Prefix?: string };
            requests.push({ command: context.commandName ?? '', key: input.Key, prefix: input.Prefix });
            return next(args);
          },
          { step: 'initialize', name: 'recordRequests' },
        );
        return client;
      },
    },
  );
  libraries.push(library);
  let seen = 0;
  return {
    bucket,
    library,
    warnings,
    requests,
    put: (key, body) =>
      putTestObject(s3, bucket, key, body, key.endsWith('.mp4') ? 'audio/mp4' : 'application/octet-stream'),
    remove: async (key) => {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    catalogKeys: () =>
      (library.catalog.prepare('SELECT key FROM recordings ORDER BY key').all() as { key: string }[]).map(
        (row) => row.key,
      ),
    transcriptReads: () => {
      const reads = requests
        .slice(seen)
        .filter((request) => request.command === 'GetObjectCommand')
        .map((request) => request.key!);
      seen = requests.length;
      return reads;
    },
  };
}

const sync = (h: Harness) => h.library.storage!.listing.run();
const baseOf = (key: string) => key.replace(/\.mp4$/, '');
const texts = (h: Harness, key: string) =>
  h.library.transcripts.transcriptOf(key)?.segments.map((segment) => `${segment.speaker}: ${segment.text}`);

describe('transcripts found by the listing sync', () => {
  it('reads a transcript uploaded beside a recording at the next sync, once per ETag, again when it changes', async () => {
    const h = await harness('transcripts-beside');
    const key = recordingKeyFor(PREFIX, '15550100001', T + 60);
    const other = recordingKeyFor(PREFIX, '15550100002', T + 120);
    await h.put(key, 'audio');
    await h.put(other, 'audio');
    expect(await sync(h)).toMatchObject({ state: 'succeeded', transcriptsRead: 0, transcriptsSkipped: 0 });
    expect(h.library.transcripts.transcriptOf(key)).toBeNull();
    h.transcriptReads();

    await h.put(`${baseOf(key)}.vtt`, VTT);
    expect(await sync(h)).toMatchObject({
      state: 'succeeded',
      recordingsAdded: 0,
      transcriptsRead: 1,
      transcriptsSkipped: 0,
      manifestsRead: 0,
      manifestsSkipped: 0,
    });
    expect(h.transcriptReads()).toEqual([`${baseOf(key)}.vtt`]);
    const stored = h.library.transcripts.transcriptOf(key)!;
    expect(stored).toMatchObject({ format: 'vtt', source_key: `${baseOf(key)}.vtt` });
    expect(stored.segments).toEqual([
      expect.objectContaining({ start_ms: 1000, end_ms: 3500, speaker: 'agent' }),
      expect.objectContaining({ start_ms: 4000, speaker: 'customer', text: 'I want to speak to a lawyer.' }),
    ]);
    expect(h.library.transcripts.transcriptOf(other)).toBeNull();

    // Found by the sync: searchable with said=, and served by the transcript route's service.
    const found = new CallsService(() => h.library).list(callQuerySchema.parse({ said: '"a lawyer"' }));
    expect(found.rows.map((row) => row.recording?.key)).toEqual([key]);
    expect(found.rows[0]!.said?.[0]).toMatchObject({ startMs: 4000, speaker: 'customer' });
    expect(found.rows[0]!.said?.[0]?.snippet).toContain('«a lawyer»');
    const dispatchId = `dispatch_${T + 60}_15550100001`;
    expect(new TranscriptsService(() => h.library).ofDispatch(dispatchId)).toMatchObject({
      format: 'vtt',
      segments: [
        { start_ms: 1000, speaker: 'agent' },
        { start_ms: 4000, speaker: 'customer' },
      ],
    });

    // The same ETag: not read again.
    expect(await sync(h)).toMatchObject({ state: 'succeeded', transcriptsRead: 0, transcriptsSkipped: 0 });
    expect(h.transcriptReads()).toEqual([]);

    // Changed: read again, the new words replace the old.
    await h.put(`${baseOf(key)}.vtt`, VTT.replace('speak to a lawyer', 'cancel my plan'));
    expect(await sync(h)).toMatchObject({ state: 'succeeded', transcriptsRead: 1 });
    expect(h.transcriptReads()).toEqual([`${baseOf(key)}.vtt`]);
    expect(texts(h, key)).toEqual([
      'agent: Hello, this is Ava from Northwind Billing.',
      'customer: I want to cancel my plan.',
    ]);
  });

  it('reads .transcript.json as a transcript, never as an Egress manifest, beside a real manifest', async () => {
    const h = await harness('transcripts-json');
    const key = recordingKeyFor(PREFIX, '15103455686', 1754653479);
    await h.put(key, 'audio');
    await h.put(`${baseOf(key)}.transcript.json`, fixture('transcribe-channels.json'));
    expect(await sync(h)).toMatchObject({
      state: 'succeeded',
      transcriptsRead: 1,
      manifestsRead: 0,
      manifestsSkipped: 0,
    });
    expect(h.warnings).toEqual([]);
    expect(h.library.transcripts.transcriptOf(key)).toMatchObject({ format: 'transcribe' });
    expect(texts(h, key)![0]).toBe('agent: Hello, this is Dana from Acme.');
  });

  it('prefers .transcript.json over .vtt over .srt when several lie beside one recording', async () => {
    const h = await harness('transcripts-preferred');
    const key = recordingKeyFor(PREFIX, '15550100003', T + 180);
    await h.put(key, 'audio');
    await h.put(`${baseOf(key)}.vtt`, VTT);
    await h.put(`${baseOf(key)}.srt`, fixture('cues-crlf.srt'));
    expect(await sync(h)).toMatchObject({ transcriptsRead: 1 });
    expect(h.library.transcripts.transcriptOf(key)).toMatchObject({ format: 'vtt' });
  });

  it('skips a broken transcript: counted, logged with its key and reason, the recording still listed', async () => {
    const h = await harness('transcripts-broken');
    const key = recordingKeyFor(PREFIX, '15550100004', T + 240);
    const good = recordingKeyFor(PREFIX, '15550100005', T + 300);
    await h.put(key, 'audio');
    await h.put(good, 'audio');
    await h.put(`${baseOf(key)}.transcript.json`, '{"results": {"items": [{"type": "pronunc');
    await h.put(`${baseOf(good)}.vtt`, VTT);
    const status = await sync(h);
    expect(status).toMatchObject({
      state: 'succeeded',
      transcriptsRead: 1,
      transcriptsSkipped: 1,
      error: null,
    });
    expect(h.catalogKeys()).toEqual([key, good]);
    expect(h.library.transcripts.transcriptOf(key)).toBeNull();
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain(`${baseOf(key)}.transcript.json`);
    expect(h.warnings[0]).toMatch(/not valid JSON.*cut short/);
    h.transcriptReads();

    // The same broken version is not read again (nor logged again); a fixed one is read.
    expect(await sync(h)).toMatchObject({ transcriptsRead: 0, transcriptsSkipped: 0 });
    expect(h.transcriptReads()).toEqual([]);
    await h.put(`${baseOf(key)}.transcript.json`, fixture('transcribe-channels.json'));
    expect(await sync(h)).toMatchObject({ transcriptsRead: 1, transcriptsSkipped: 0 });
    expect(h.library.transcripts.transcriptOf(key)).toMatchObject({ format: 'transcribe' });

    // An unrecognised file over a good one: skipped, and the one saved before is kept.
    await h.put(`${baseOf(key)}.transcript.json`, '{"hello": "world"}');
    expect(await sync(h)).toMatchObject({ transcriptsRead: 0, transcriptsSkipped: 1 });
    expect(h.warnings.at(-1)).toMatch(/none of the fields of a known transcript.*saved before is kept/);
    expect(h.library.transcripts.transcriptOf(key)).toMatchObject({ format: 'transcribe' });
  });

  it('forgets a transcript whose file is deleted, and one whose recording is deleted', async () => {
    const h = await harness('transcripts-gone');
    const keep = recordingKeyFor(PREFIX, '15550100006', T + 360);
    const goes = recordingKeyFor(PREFIX, '15550100007', T + 420);
    const lastOfDay = recordingKeyFor(PREFIX, '15550100008', T + 86_400 + 60);
    for (const key of [keep, goes, lastOfDay]) {
      await h.put(key, 'audio');
      await h.put(`${baseOf(key)}.vtt`, VTT);
    }
    expect(await sync(h)).toMatchObject({ transcriptsRead: 3 });

    await h.remove(`${baseOf(keep)}.vtt`);
    await h.remove(goes);
    // The only recording of its day: its whole folder goes.
    await h.remove(lastOfDay);
    await h.remove(`${baseOf(lastOfDay)}.vtt`);
    expect(await sync(h)).toMatchObject({ state: 'succeeded', recordingsRemoved: 2 });
    expect(h.catalogKeys()).toEqual([keep]);
    expect(h.library.transcripts.transcriptOf(keep)).toBeNull();
    expect(h.library.transcripts.transcriptOf(goes)).toBeNull();
    expect(h.library.transcripts.transcriptOf(lastOfDay)).toBeNull();
  });

  it('keeps a transcript an import saved from a local file when the bucket has none', async () => {
    const h = await harness('transcripts-local');
    const key = recordingKeyFor(PREFIX, '15550100009', T + 480);
    await h.put(key, 'audio');
    await sync(h);
    h.library.transcripts.save(
      { recording_key: key },
      {
        format: 'vtt',
        segments: [{ start_ms: 0, end_ms: 1000, speaker: 'agent', speaker_label: 'Agent', text: 'Hello.' }],
      },
      { key: '/home/qa/transcripts/outbound-15550100009.vtt', etag: null },
    );
    await sync(h);
    expect(texts(h, key)).toEqual(['agent: Hello.']);
  });

  it('places a LiveKit history by the Egress manifest start, else by the key', async () => {
    const h = await harness('transcripts-livekit');
    const withManifest = recordingKeyFor(PREFIX, '15103455686', 1754653479);
    const byKey = recordingKeyFor(PREFIX, '15103455687', 1754653479);
    await h.put(withManifest, 'audio');
    await h.put(byKey, 'audio');
    await h.put(
      `${baseOf(withManifest)}.json`,
      JSON.stringify({
        egress_id: 'EG_1',
        started_at: 1754653480_250_000_000,
        ended_at: 1754653500_000_000_000,
      }),
    );
    await h.put(`${baseOf(withManifest)}.transcript.json`, fixture('livekit-history.json'));
    await h.put(`${baseOf(byKey)}.transcript.json`, fixture('livekit-history.json'));
    expect(await sync(h)).toMatchObject({ state: 'succeeded', manifestsRead: 1, transcriptsRead: 2 });

    const placed = h.library.transcripts.transcriptOf(withManifest)!;
    expect(placed.alignment).toEqual({ source: 'manifest', recording_start_ms: 1754653480_250 });
    expect(placed.segments[0]!.start_ms).toBe(0);
    const keyed = h.library.transcripts.transcriptOf(byKey)!;
    expect(keyed.alignment).toEqual({ source: 'key', recording_start_ms: 1754653479_000 });
    expect(keyed.segments[0]!.start_ms).toBe(1250);

    // A manifest read by an earlier sync still places a history that arrives later.
    await h.put(
      `${baseOf(withManifest)}.transcript.json`,
      fixture('livekit-history.json').replace('Acme', 'Acme Co'),
    );
    expect(await sync(h)).toMatchObject({ manifestsRead: 0, transcriptsRead: 1 });
    expect(h.library.transcripts.transcriptOf(withManifest)!.alignment).toEqual({
      source: 'manifest',
      recording_start_ms: 1754653480_250,
    });
  });

  it('finds transcripts under the transcripts prefix, with the same path below it', async () => {
    const h = await harness('transcripts-prefix', { transcriptsPrefix: 'transcripts/' });
    const key = recordingKeyFor(PREFIX, '15550100010', T + 540);
    const below = key.slice(PREFIX.length).replace(/\.mp4$/, '');
    await h.put(key, 'audio');
    await h.put(`transcripts/${below}.vtt`, VTT);
    expect(await sync(h)).toMatchObject({ state: 'succeeded', transcriptsRead: 1, objectsListed: 1 });
    expect(h.library.transcripts.transcriptOf(key)).toMatchObject({ source_key: `transcripts/${below}.vtt` });
    expect(await sync(h)).toMatchObject({ transcriptsRead: 0 });

    await h.remove(`transcripts/${below}.vtt`);
    expect(await sync(h)).toMatchObject({ transcriptsRead: 0 });
    expect(h.library.transcripts.transcriptOf(key)).toBeNull();
  });
});

describe('the team prefix', () => {
  it.each(['flat', 'folders'] as const)(
    'is left alone in a root-prefixed bucket (%s listing): its events are not manifests, transcripts or recordings',
    async (mode) => {
      const h = await harness(`team-${mode}`, { prefix: '' });
      const key = recordingKeyFor('', '15550100011', T + 600);
      await h.put(key, 'audio');
      await h.put('tapedeck/v1/events/x/01J8Z3N5W6Q7R8S9T0V1W2X3Y4.json', '{"type": "review.submitted"}');
      await h.put('tapedeck/v1/events/x/01J8Z3N5W6Q7R8S9T0V1W2X3Y5.vtt', 'WEBVTT\n');
      const run = mode === 'flat' ? await sync(h) : await folderSync(h);
      expect(run).toMatchObject({
        state: 'succeeded',
        manifestsRead: 0,
        manifestsSkipped: 0,
        transcriptsRead: 0,
        transcriptsSkipped: 0,
      });
      expect(h.catalogKeys()).toEqual([key]);
      expect(h.warnings).toEqual([]);
      expect(h.requests.filter((request) => request.key?.startsWith('tapedeck/'))).toEqual([]);
      // A folder listing does not go into the team's folder at all.
      if (mode === 'folders')
        expect(h.requests.filter((request) => request.prefix?.startsWith('tapedeck/'))).toEqual([]);
    },
  );
});

/** One sync of the harness's library in `folders` mode (the same bucket, store and transcripts). */
function folderSync(h: Harness): Promise<SyncStatus> {
  const storage = h.library.storage!;
  return new ListingSync(new RecordingBucket(storage.client, storage.location), h.library.store, {
    checkpoints: new SyncCheckpointStore(h.library.catalog),
    mode: 'folders',
    log: { info: () => {}, warn: (m) => h.warnings.push(m), error: (m) => h.warnings.push(m) },
    transcripts: {
      ingest: new TranscriptIngest(h.library.catalog, h.library.transcripts),
      read: transcriptObjectReader(storage.client, storage.location),
      prefix: null,
    },
    teamPrefix: teamPrefixFor(storage.location.prefix, storage.location.teamPrefix),
  }).run();
}
