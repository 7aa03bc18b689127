import { DISPATCH_ID_PATTERN_TEXT } from '../../../shared/dispatch.ts';
import {
  DETAIL_NOT_FOUND,
  INTERACTION_FIELDS,
  DETAIL_S3_CONFIG_MISSING,
  EXPIRES_IN_DEFAULT,
  EXPIRES_IN_MAX,
  EXPIRES_IN_MIN,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
} from '../../../shared/recording.ts';

import { DETAIL_NO_TRANSCRIPT } from '../transcripts/transcripts-service.ts';
import { calibrationOpenApiPaths } from './calibration-routes.ts';
import { reviewPaths, reviewSchemas } from './openapi-reviews.ts';
import { teamOpenApiPaths } from './team-routes.ts';
const nullableString = { type: ['string', 'null'] } as const;
const count = { type: 'integer', minimum: 0 } as const;
const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const detail = (description: string, example?: string) => ({
  description,
  content: json({ ...ref('ErrorDetail'), ...(example ? { example: { detail: example } } : {}) }),
});
const noStore = {
  'Cache-Control': {
    description: 'no-store: presigned URLs are bearer tokens, no cache keeps them',
    schema: { type: 'string', const: 'no-store' },
  },
};

const expiresIn = {
  name: 'expires_in',
  in: 'query',
  required: false,
  description: 'URL expiration time in seconds. Capped at the remaining lifetime of temporary credentials.',
  schema: { type: 'integer', minimum: EXPIRES_IN_MIN, maximum: EXPIRES_IN_MAX, default: EXPIRES_IN_DEFAULT },
} as const;

/** What the access guards (and request reading) answer before any route: on every operation. */
const accessErrors = {
  '400': detail('The request could not be read, e.g. a URL that is not valid percent-encoding.'),
  '401': {
    description:
      'Only when TAPEDECK_API_TOKEN is set: the request did not carry "Authorization: Bearer <token>".',
    headers: { 'WWW-Authenticate': { schema: { type: 'string', const: 'Bearer' } } },
    content: json(ref('ErrorDetail')),
  },
  '403': detail(
    'The Host header does not name this machine (DNS rebinding), or a page from an origin not in ' +
      'TAPEDECK_CORS_ORIGINS tried to change something.',
  ),
};

const validationError = {
  description:
    'A parameter is invalid: a FastAPI-style list naming each one (loc), what was wrong (msg) and the value (input).',
  content: json(ref('HTTPValidationError')),
};

const s3Errors = {
  '500': detail('S3 not configured, or no AWS credentials', DETAIL_S3_CONFIG_MISSING),
  '502': detail('S3 refused the request (access denied, no such bucket, wrong region)'),
  '503': detail('S3 unreachable, timed out or overloaded'),
};

/** Tapedeck's extensions of the list (and the CSV export); without them the list is the spec's. */
const LIST_FILTERS = [
  {
    name: 'q',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. Search: customer name words (prefixes; accents and case ignored), a phone ' +
      'number (formatting ignored; its last digits are enough), the start of an interaction id, or a dispatch id.',
    schema: { type: 'string', maxLength: 200 },
    example: 'louis',
  },
  {
    name: 'status',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. Only calls with one of these statuses; repeat the parameter or separate ' +
      'values with commas. Case is ignored (completed finds COMPLETED). The spec fixes no set of ' +
      'statuses, so any value is accepted: one no call has gives an empty list, not an error.',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
    example: ['COMPLETED', 'FAILED'],
  },
  {
    name: 'outcome',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. Only calls with one of these outcomes; repeated or comma-separated, case ignored, any value accepted.',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
    example: ['CALLBACK_REQUESTED'],
  },
  {
    name: 'from',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. Calls that started at or after this date (from its first moment) or ' +
      'date-time (no zone means UTC). An impossible date (2025-02-30) is a 422.',
    schema: { type: 'string', examples: ['2025-08-08', '2025-08-08T11:44:39Z'] },
  },
  {
    name: 'to',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. Calls that started at or before this date (to its last moment) or ' +
      'date-time (no zone means UTC). An impossible date is a 422.',
    schema: { type: 'string', examples: ['2025-08-31', '2025-08-31T23:00:00Z'] },
  },
  {
    name: 'has_recording',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. true: only calls with a recording; false: only calls without one. Any other value is a 422.',
    schema: { type: 'boolean' },
  },
  {
    name: 'said',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. Calls whose transcript holds these words (case and accents ignored): words ' +
      '(all required, anywhere in the call), "quoted phrases" (in that order, in one turn), prefix* ' +
      '(2 letters at least), a OR b. With said, each listed item carries said: its best hits. A query ' +
      'with no word, a shorter prefix or an OR without a word on each side is a 422 saying why.',
    schema: { type: 'string', maxLength: 200 },
    examples: {
      word: { value: 'cancel' },
      phrase: { value: '"speak to a lawyer"' },
      prefix: { value: 'refund*' },
    },
  },
  {
    name: 'said_by',
    in: 'query',
    required: false,
    description:
      'Tapedeck extension. With said: only words this side said count (case ignored). Any other value, or said_by without said, is a 422.',
    schema: { type: 'string', enum: ['agent', 'customer'] },
  },
];

/** `GET /openapi.json`: the documented Recording API, plus Tapedeck's extensions (marked as such). */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Tapedeck Recording API',
    version: '1.1.0',
    description:
      'Presigned S3 URLs for call recordings, found from their dispatch id. Mirrors the Recording API ' +
      '(docs/recording-api.md); everything marked "Tapedeck extension" is added by Tapedeck. Listens on ' +
      '127.0.0.1 only; a bearer token is needed only when TAPEDECK_API_TOKEN is set.',
  },
  servers: [{ url: 'http://127.0.0.1:8000', description: 'the default address (TAPEDECK_PORT changes it)' }],
  security: [{}, { bearerToken: [] }],
  paths: {
    '/recordings/{dispatch_id}': {
      get: {
        summary: 'Get Recording URL',
        operationId: 'getRecording',
        parameters: [
          {
            name: 'dispatch_id',
            in: 'path',
            required: true,
            description: 'The dispatch ID from the call, e.g. dispatch_1754653479_15103455686',
            schema: { type: 'string', pattern: DISPATCH_ID_PATTERN_TEXT },
          },
          expiresIn,
        ],
        responses: {
          '200': {
            description: 'Presigned URLs for the recording',
            headers: noStore,
            content: json(ref('RecordingUrls')),
          },
          '404': detail('No recording for this dispatch', DETAIL_NOT_FOUND),
          '422': validationError,
          ...s3Errors,
          ...accessErrors,
        },
      },
    },
    '/recordings': {
      get: {
        summary: 'List All Recordings',
        operationId: 'listRecordings',
        description:
          `Newest first by start_time. limit above ${LIST_LIMIT_MAX} is capped to ${LIST_LIMIT_MAX} ` +
          '(the answer says so). Pages by limit/offset as the spec does, or (Tapedeck extension) by keyset with after.',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: `Number of recordings to return (capped at ${LIST_LIMIT_MAX}); at least 1 with after.`,
            schema: { type: 'integer', minimum: 0, default: LIST_LIMIT_DEFAULT },
          },
          {
            name: 'offset',
            in: 'query',
            required: false,
            description: 'Offset for pagination. Not with after (a non-zero offset with after is a 422).',
            schema: { type: 'integer', minimum: 0, default: 0 },
          },
          { ...expiresIn, description: 'Tapedeck extension: lifetime of each recording_url, in seconds.' },
          ...LIST_FILTERS,
          {
            name: 'after',
            in: 'query',
            required: false,
            description:
              'Tapedeck extension, keyset paging: empty (after=) for the first page, then the next_after of ' +
              'the previous answer, which a request with after always carries (null on the last page). ' +
              'Pages never repeat or skip a call added meanwhile. A 422 when combined with a non-zero ' +
              'offset or with limit=0, or when the value is not a next_after this list gave.',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': {
            description: 'A page of recordings',
            headers: noStore,
            content: json(ref('RecordingList')),
          },
          '422': validationError,
          ...s3Errors,
          ...accessErrors,
        },
      },
    },
    '/recordings/{dispatch_id}/transcript': {
      get: {
        summary: "Get a call's transcript (Tapedeck extension)",
        operationId: 'getTranscript',
        description:
          'What was said in the newest call this dispatch placed, as timed turns per speaker: from a ' +
          'transcript beside its recording in the bucket (Amazon Transcribe, Contact Lens, LiveKit ' +
          'history, WebVTT, SRT) or one imported. Works without a bucket too.',
        parameters: [
          {
            name: 'dispatch_id',
            in: 'path',
            required: true,
            description: 'The dispatch ID from the call, e.g. dispatch_1754653479_15103455686',
            schema: { type: 'string', pattern: DISPATCH_ID_PATTERN_TEXT },
          },
        ],
        responses: {
          '200': { description: 'The transcript', content: json(ref('Transcript')) },
          '404': detail('No call has this dispatch id, or the call has no transcript', DETAIL_NO_TRANSCRIPT),
          '422': validationError,
          ...accessErrors,
        },
      },
    },
    '/recordings.csv': {
      get: {
        summary: 'Export the list as CSV (Tapedeck extension)',
        operationId: 'exportRecordingsCsv',
        description:
          'Every call matching the filters, newest first, streamed as RFC 4180 CSV with the columns ' +
          'interaction_id, customer_name, phone, status, outcome, duration, start_time, end_time, ' +
          'dispatch_id, s3_key. No paging; works without a bucket too. A cell a spreadsheet would run ' +
          "as a formula is prefixed with '.",
        parameters: LIST_FILTERS,
        responses: {
          '200': {
            description: 'The CSV (just the header row when no call matches)',
            headers: {
              ...noStore,
              'Content-Disposition': {
                schema: { type: 'string', const: 'attachment; filename="recordings.csv"' },
              },
            },
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          '422': validationError,
          ...accessErrors,
        },
      },
    },
    '/sync': {
      get: {
        summary: 'Sync status (Tapedeck extension)',
        operationId: 'getSyncStatus',
        description: 'The state of the S3 listing sync of the open library; sync is null without a bucket.',
        responses: {
          '200': { description: 'The sync status', headers: noStore, content: json(ref('SyncReply')) },
          ...accessErrors,
        },
      },
      post: {
        summary: 'Start a sync (Tapedeck extension)',
        operationId: 'startSync',
        description:
          'Starts the same sync as the app\'s "Sync now" (the S3 listing and, when TAPEDECK_UPSTREAM_URL ' +
          'is set, the upstream pull), or joins the one running, and answers at once; GET /sync follows it.',
        responses: {
          '202': {
            description: 'The sync started (or was already running): its status',
            content: json(ref('SyncReply')),
          },
          '413': detail(
            'A body was sent, larger than the 64 KiB any request may carry (this one needs none).',
          ),
          '500': detail(
            'No bucket is configured: nothing to sync',
            'No S3 bucket is configured: there is nothing to sync. Open Settings to choose one, or set S3_BUCKET.',
          ),
          ...accessErrors,
        },
      },
    },
    ...reviewPaths({
      accessErrors,
      validationError,
      notFound: detail('No such review, or no such call'),
    }),
    ...calibrationOpenApiPaths(),
    ...teamOpenApiPaths(),
    '/openapi.json': {
      get: {
        summary: 'This document',
        operationId: 'getOpenApi',
        responses: {
          '200': { description: 'The OpenAPI 3.1 document', content: json({ type: 'object' }) },
          ...accessErrors,
        },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerToken: {
        type: 'http',
        scheme: 'bearer',
        description: 'The value of TAPEDECK_API_TOKEN; required only when that variable is set.',
      },
    },
    schemas: {
      RecordingUrls: {
        type: 'object',
        required: ['recording_url', 'download_url', 'dispatch_id', 's3_key', 'expires_in', 'expires_at'],
        properties: {
          recording_url: { type: 'string', format: 'uri' },
          download_url: { type: 'string', format: 'uri' },
          dispatch_id: { type: 'string' },
          s3_key: { type: 'string' },
          expires_in: { type: 'integer', minimum: 0 },
          expires_at: { type: 'string', format: 'date-time', examples: ['2025-08-08T12:44:39.000Z'] },
        },
      },
      RecordingListItem: {
        type: 'object',
        required: [...INTERACTION_FIELDS, 'recording_url'],
        properties: {
          interaction_id: { type: 'string' },
          customer_name: nullableString,
          phone: nullableString,
          status: nullableString,
          outcome: nullableString,
          duration: { type: ['number', 'null'], description: 'Seconds' },
          start_time: { type: ['string', 'null'], format: 'date-time' },
          end_time: { type: ['string', 'null'], format: 'date-time' },
          recording_url: {
            type: ['string', 'null'],
            format: 'uri',
            description: 'null when no recording was found',
          },
          dispatch_id: nullableString,
          said: {
            type: 'array',
            maxItems: 3,
            items: ref('SaidHit'),
            description:
              'Tapedeck extension, only in answers to a request with said: where the words were spoken in ' +
              'this call, best hits first (turns holding more of the words, then earlier ones).',
          },
        },
      },
      SaidHit: {
        type: 'object',
        additionalProperties: false,
        required: ['start_ms', 'speaker', 'snippet'],
        properties: {
          start_ms: { type: 'integer', minimum: 0, description: 'Where the turn starts in the recording' },
          speaker: { type: 'string', enum: ['agent', 'customer', 'unknown'] },
          snippet: {
            type: 'string',
            description: 'The words around the hit, the matched words marked «like this»',
            examples: ['I want to speak to a «lawyer» about this'],
          },
        },
      },
      Transcript: {
        type: 'object',
        additionalProperties: false,
        required: ['source', 'format', 'segments'],
        properties: {
          source: {
            type: 'string',
            description: 'Where it was read from: s3://bucket/key, or a local file imported',
          },
          format: { type: 'string', enum: ['transcribe', 'contact-lens', 'livekit', 'vtt', 'srt'] },
          segments: {
            type: 'array',
            description: 'The turns, in time order; times in milliseconds from the start of the recording',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['start_ms', 'end_ms', 'speaker', 'text'],
              properties: {
                start_ms: { type: 'integer', minimum: 0 },
                end_ms: { type: 'integer', minimum: 0 },
                speaker: { type: 'string', enum: ['agent', 'customer', 'unknown'] },
                text: { type: 'string' },
                sentiment: {
                  type: 'string',
                  enum: ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'],
                  description: 'Only where the source has it (Contact Lens / Call Analytics)',
                },
              },
            },
          },
        },
      },
      RecordingList: {
        type: 'object',
        required: ['recordings', 'limit', 'offset'],
        properties: {
          recordings: { type: 'array', items: ref('RecordingListItem') },
          limit: { type: 'integer', minimum: 0, maximum: LIST_LIMIT_MAX },
          offset: { type: 'integer', minimum: 0 },
          next_after: {
            type: ['string', 'null'],
            description:
              'Tapedeck extension, only in answers to a request with after: pass it as after for the next page; null on the last page.',
          },
        },
      },
      SyncStatus: {
        type: 'object',
        additionalProperties: false,
        required: [
          'state',
          'started_at',
          'finished_at',
          'objects_listed',
          'recordings_added',
          'recordings_removed',
          'folders_done',
          'folders_total',
          'manifests_read',
          'manifests_skipped',
          'transcripts_read',
          'transcripts_skipped',
          'resumed_from',
          'error',
        ],
        properties: {
          state: { type: 'string', enum: ['idle', 'running', 'succeeded', 'failed', 'cancelled'] },
          started_at: { type: ['string', 'null'], format: 'date-time' },
          finished_at: { type: ['string', 'null'], format: 'date-time' },
          objects_listed: count,
          recordings_added: count,
          recordings_removed: count,
          folders_done: { ...count, description: 'Date folders (YYYY/MM/DD/) listed so far in this run' },
          folders_total: { ...count, description: 'How many date folders this run lists' },
          manifests_read: { ...count, description: 'Egress manifests read in this run' },
          manifests_skipped: {
            ...count,
            description: 'Malformed or unreadable manifests, logged and skipped',
          },
          transcripts_read: { ...count, description: 'Transcripts read in this run (docs/transcripts.md)' },
          transcripts_skipped: {
            ...count,
            description: 'Malformed or unrecognised transcripts, logged and skipped',
          },
          resumed_from: {
            ...nullableString,
            description: 'The folder an interrupted run resumed from; null when it started afresh',
          },
          error: { ...nullableString, description: 'Why the last run failed' },
        },
      },
      SyncReply: {
        type: 'object',
        required: ['sync'],
        properties: {
          sync: {
            description: 'null when no bucket is configured (nothing to sync)',
            anyOf: [ref('SyncStatus'), { type: 'null' }],
          },
        },
      },
      ErrorDetail: {
        type: 'object',
        required: ['detail'],
        properties: { detail: { type: 'string' } },
      },
      ...reviewSchemas,
      HTTPValidationError: {
        type: 'object',
        required: ['detail'],
        properties: {
          detail: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              required: ['loc', 'msg', 'type'],
              properties: {
                loc: { type: 'array', items: { type: ['string', 'integer'] } },
                msg: { type: 'string' },
                type: { type: 'string' },
                input: {},
                ctx: { type: 'object' },
              },
            },
          },
        },
      },
    },
  },
} as const;
