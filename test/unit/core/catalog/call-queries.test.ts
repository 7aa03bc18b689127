import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallsService } from '../../../../electron/core/calls/calls-service.ts';
import { CallQueries } from '../../../../electron/core/catalog/call-queries.ts';
import { CatalogStore } from '../../../../electron/core/catalog/catalog-store.ts';
import { openCatalog, type CatalogDatabase } from '../../../../electron/core/catalog/open-catalog.ts';
import { callQuerySchema, type CallQuery, type Waveform } from '../../../../shared/contract.ts';
import { recordingKeyFor } from '../../../../shared/dispatch.ts';
import type { Interaction } from '../../../../shared/recording.ts';

const PREFIX = 'egress-recordings/';
/** Recordings start this many seconds after their dispatch. */
const RECORDING_DELAY = 6;

interface Call {
  readonly id: string;
  readonly customer: string | null;
  readonly phone: string;
  readonly start: string;
  readonly status: string | null;
  readonly outcome: string | null;
  readonly recorded: boolean;
}

/** Newest first, as the list shows them. */
const CALLS: readonly Call[] = [
  {
    id: 'bo-underscore',
    customer: 'Bo_Chen',
    phone: '+13125550178',
    start: '2025-08-09T08:00:00.000Z',
    status: 'IN_PROGRESS',
    outcome: 'CALLBACK',
    recorded: false,
  },
  {
    id: 'test_interaction_louis_001',
    customer: 'Louis Smith',
    phone: '+15103455686',
    start: '2025-08-08T11:44:39.000Z',
    status: 'COMPLETED',
    outcome: 'PAYMENT_PROMISED',
    recorded: true,
  },
  {
    id: 'ann-percent',
    customer: 'Ann 100% Sure',
    phone: '+14155550142',
    start: '2025-08-07T16:30:00.000Z',
    status: 'COMPLETED',
    outcome: 'NO_ANSWER',
    recorded: true,
  },
  {
    id: 'ann-thousand',
    customer: 'Ann 1000 Sure',
    phone: '+14155550143',
    start: '2025-08-06T09:15:00.000Z',
    status: 'FAILED',
    outcome: null,
    recorded: false,
  },
  {
    id: 'box-chen',
    customer: 'BoxChen',
    phone: '+13125550179',
    start: '2025-08-05T20:00:00.000Z',
    status: 'COMPLETED',
    outcome: 'CALLBACK',
    recorded: true,
  },
  {
    id: 'nameless',
    customer: null,
    phone: '+12065550119',
    start: '2025-08-04T07:00:00.000Z',
    status: null,
    outcome: null,
    recorded: true,
  },
];

const digitsOf = (phone: string) => phone.replace(/\D/g, '');
const secondsOf = (iso: string) => Date.parse(iso) / 1000;

function interactionOf(call: Call): Interaction {
  return {
    interaction_id: call.id,
    customer_name: call.customer,
    phone: call.phone,
    status: call.status,
    outcome: call.outcome,
    duration: 60,
    start_time: call.start,
    end_time: null,
    dispatch_id: `dispatch_${secondsOf(call.start)}_${digitsOf(call.phone)}`,
  };
}

function recordingKeyOf(call: Call): string {
  return recordingKeyFor(PREFIX, digitsOf(call.phone), secondsOf(call.start) + RECORDING_DELAY);
}

const LOUIS = CALLS[1]!;
const LOUIS_KEY = recordingKeyOf(LOUIS);
const LOUIS_ETAG = '9b2cf535f27731c974343645a3985328';

let dir: string;
let db: CatalogDatabase;
let queries: CallQueries;
let calls: CallsService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-call-queries-'));
  db = openCatalog(join(dir, 'catalog.sqlite'));
  const store = new CatalogStore(db);
  store.upsertRecordings(
    CALLS.filter((call) => call.recorded).map((call, index) => ({
      key: recordingKeyOf(call),
      direction: 'outbound' as const,
      phone: digitsOf(call.phone),
      timestamp: secondsOf(call.start) + RECORDING_DELAY,
      size: 100_000 + index,
      etag: call === LOUIS ? LOUIS_ETAG : null,
      lastModified: null,
    })),
    1,
  );
  store.upsertInteractions(CALLS.map(interactionOf));
  queries = new CallQueries(db);
  calls = new CallsService(() => ({ catalog: db, store, calls: queries, storage: null, where: null }));
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function query(change: Partial<CallQuery> = {}): CallQuery {
  return callQuerySchema.parse(change);
}

function idsOf(change: Partial<CallQuery>): string[] {
  return calls.list(query(change)).rows.map((row) => row.interaction_id);
}

describe('searching calls', () => {
  it('finds a customer by the start of each word of the name, whatever the case', () => {
    expect(idsOf({ search: 'lOUIS sm' })).toEqual([LOUIS.id]);
    expect(idsOf({ search: 'smith louis' })).toEqual([LOUIS.id]);
    // Words, not substrings: "chen" is a word of Bo_Chen but only the inside of BoxChen.
    expect(idsOf({ search: 'chen' })).toEqual(['bo-underscore']);
    expect(idsOf({ search: 'boxch' })).toEqual(['box-chen']);
  });

  it('ignores accents in names, typed or stored', () => {
    new CatalogStore(db).upsertInteractions([
      {
        ...interactionOf(LOUIS),
        interaction_id: 'accented',
        customer_name: 'José García',
        dispatch_id: null,
      },
    ]);
    expect(idsOf({ search: 'jose garcia' })).toEqual(['accented']);
    expect(idsOf({ search: 'GARCÍA' })).toEqual(['accented']);
  });

  it('finds a call by the start of its interaction id', () => {
    expect(idsOf({ search: 'test_interaction_lo' })).toEqual([LOUIS.id]);
    expect(idsOf({ search: 'ann-' })).toEqual(['ann-percent', 'ann-thousand']);
  });

  it('finds a call by its dispatch id', () => {
    expect(idsOf({ search: 'dispatch_1754653479_15103455686' })).toEqual([LOUIS.id]);
  });

  it.each(['(510) 345-5686', '+1 510 345 5686', '510.345.5686', '15103455686'])(
    'finds +15103455686 by the phone typed as %j',
    (typed) => {
      expect(idsOf({ search: typed })).toEqual([LOUIS.id]);
    },
  );

  it('ignores white space around the search', () => {
    expect(idsOf({ search: '  Louis  ' })).toEqual([LOUIS.id]);
  });

  it('takes % and _ as punctuation, never as wildcards', () => {
    expect(idsOf({ search: '%' })).toEqual([]);
    expect(idsOf({ search: '_' })).toEqual([]);
    expect(idsOf({ search: 'bo_ch' })).toEqual(['bo-underscore']);
  });

  it('finds a phone number by its last digits', () => {
    expect(idsOf({ search: '345-5686' })).toEqual([LOUIS.id]);
    expect(idsOf({ search: '555017' })).toEqual([]);
    expect(idsOf({ search: '5550178' })).toEqual(['bo-underscore']);
  });

  it('finds nothing for a search that matches nothing', () => {
    expect(calls.list(query({ search: 'Nobody Here' }))).toEqual({ rows: [], total: 0, offset: 0 });
  });
});

describe('filtering calls', () => {
  it('takes several statuses as any of them', () => {
    expect(idsOf({ status: ['FAILED', 'IN_PROGRESS'] })).toEqual(['bo-underscore', 'ann-thousand']);
  });

  it('takes several outcomes as any of them', () => {
    expect(idsOf({ outcome: ['CALLBACK', 'NO_ANSWER'] })).toEqual([
      'bo-underscore',
      'ann-percent',
      'box-chen',
    ]);
  });

  it('includes calls starting exactly on either bound of the date range', () => {
    expect(idsOf({ from: '2025-08-06T09:15:00.000Z', to: '2025-08-08T11:44:39.000Z' })).toEqual([
      LOUIS.id,
      'ann-percent',
      'ann-thousand',
    ]);
  });

  it('takes bounds with a time-zone offset at the instant they name', () => {
    // 13:44:39+02:00 is Louis's 11:44:39Z; a millisecond earlier leaves him out.
    expect(idsOf({ from: '2025-08-08T13:44:39+02:00' })).toEqual(['bo-underscore', LOUIS.id]);
    expect(idsOf({ from: '2025-08-08T13:44:39.001+02:00' })).toEqual(['bo-underscore']);
  });

  it('shows only calls with a recording, or only those without', () => {
    expect(idsOf({ hasRecording: true })).toEqual([LOUIS.id, 'ann-percent', 'box-chen', 'nameless']);
    expect(idsOf({ hasRecording: false })).toEqual(['bo-underscore', 'ann-thousand']);
  });

  it('combines search and filters: all must hold', () => {
    expect(idsOf({ search: 'boxchen', status: ['COMPLETED'], hasRecording: true })).toEqual(['box-chen']);
    expect(idsOf({ search: 'boxchen', status: ['FAILED'] })).toEqual([]);
    expect(idsOf({ search: 'ann', outcome: ['NO_ANSWER'], to: '2025-08-07T00:00:00Z' })).toEqual([]);
  });
});

describe('a page of calls', () => {
  it('lists newest first', () => {
    expect(idsOf({})).toEqual(CALLS.map((call) => call.id));
  });

  it('counts every matching call, not only the page (the count may come after the rows)', () => {
    const page = calls.list(query({ hasRecording: true, limit: 2, offset: 1 }));
    expect(page.rows.map((row) => row.interaction_id)).toEqual(['ann-percent', 'box-chen']);
    expect(calls.count(query({ hasRecording: true }))).toBe(4);
  });

  it('gives each row its recording: key, size and the name a download is saved under', () => {
    const [louis] = calls.list(query({ search: 'Louis' })).rows;
    expect(louis).toEqual({
      interaction_id: LOUIS.id,
      customer_name: 'Louis Smith',
      phone: '+15103455686',
      status: 'COMPLETED',
      outcome: 'PAYMENT_PROMISED',
      duration: 60,
      start_time: '2025-08-08T11:44:39.000Z',
      end_time: null,
      dispatch_id: 'dispatch_1754653479_15103455686',
      recording: {
        key: 'egress-recordings/2025/08/08/outbound-15103455686_1754653485.mp4',
        size: 100_000,
        fileName: 'Louis Smith_15103455686_2025-08-08_114445.mp4',
      },
    });
  });

  it('names the download of a call without a customer name after the phone alone', () => {
    const [nameless] = calls.list(query({ search: 'nameless' })).rows;
    expect(nameless?.recording?.fileName).toBe('12065550119_2025-08-04_070006.mp4');
  });

  it('gives a call without a recording none', () => {
    const [bo] = calls.list(query({ search: 'Bo_' })).rows;
    expect(bo?.recording).toBeNull();
  });
});

describe('facets', () => {
  it('lists each status and outcome present once, in order, leaving out empty ones', () => {
    expect(queries.facets()).toEqual({
      statuses: ['COMPLETED', 'FAILED', 'IN_PROGRESS'],
      outcomes: ['CALLBACK', 'NO_ANSWER', 'PAYMENT_PROMISED'],
    });
  });

  it('offers a new status as soon as a call has it, written here or by another process', () => {
    queries.facets(); // read once, as the page does at start
    new CatalogStore(db).upsertInteractions([{ ...interactionOf(LOUIS), status: 'VOICEMAIL' }]);
    expect(queries.facets().statuses).toEqual(['COMPLETED', 'FAILED', 'IN_PROGRESS', 'VOICEMAIL']);
    const other = openCatalog(db.name); // `npm run import` while the app is open
    new CatalogStore(other).upsertInteractions([{ ...interactionOf(LOUIS), outcome: 'DISPUTED' }]);
    other.close();
    expect(queries.facets().outcomes).toContain('DISPUTED');
  });
});

describe('the recording of a call', () => {
  it('gives its key, size, ETag and download name', () => {
    expect(queries.recordingOf(LOUIS.id)).toEqual({
      interactionId: LOUIS.id,
      key: LOUIS_KEY,
      size: 100_000,
      etag: LOUIS_ETAG,
      fileName: 'Louis Smith_15103455686_2025-08-08_114445.mp4',
    });
  });

  it('is null for a call without a recording, and for a call not in the catalog', () => {
    expect(queries.recordingOf('ann-thousand')).toBeNull();
    expect(queries.recordingOf('no-such-call')).toBeNull();
  });

  it('is known by key only for recordings the catalog lists', () => {
    expect(queries.recordingByKey(LOUIS_KEY)).toEqual({ key: LOUIS_KEY, size: 100_000, etag: LOUIS_ETAG });
    expect(queries.recordingByKey(`${PREFIX}../../etc/passwd`)).toBeNull();
  });
});

describe('waveforms', () => {
  const stereo: Waveform = {
    channels: [
      [0, 0.5, 1],
      [0.25, 0.125, 0],
    ],
    durationSeconds: 180,
  };

  it('reads back a saved waveform as it was', () => {
    queries.saveWaveform(LOUIS_KEY, LOUIS_ETAG, stereo, 1_754_700_000_000);
    expect(queries.waveform(LOUIS_KEY)).toEqual(stereo);
  });

  it('replaces the waveform saved for the same recording', () => {
    queries.saveWaveform(LOUIS_KEY, LOUIS_ETAG, stereo, 1);
    const mono: Waveform = { channels: [[0.75]], durationSeconds: 1 };
    queries.saveWaveform(LOUIS_KEY, 'other-etag', mono, 2);
    expect(queries.waveform(LOUIS_KEY)).toEqual(mono);
  });

  it('has none for a recording never drawn', () => {
    expect(queries.waveform(LOUIS_KEY)).toBeNull();
  });

  it('keeps waveforms when the catalog is opened again', () => {
    queries.saveWaveform(LOUIS_KEY, LOUIS_ETAG, stereo, 1);
    db.close();
    db = openCatalog(join(dir, 'catalog.sqlite'));
    expect(new CallQueries(db).waveform(LOUIS_KEY)).toEqual(stereo);
  });
});
