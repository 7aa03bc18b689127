import { DISPATCH_ID_PATTERN_TEXT } from '../../../shared/dispatch.ts';
import {
  DETAIL_NOT_FOUND,
  DETAIL_S3_CONFIG_MISSING,
  EXPIRES_IN_DEFAULT,
  EXPIRES_IN_MAX,
  EXPIRES_IN_MIN,
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
} from '../../../shared/recording.ts';

const nullableString = { type: ['string', 'null'] } as const;
const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const detail = (description: string, example?: string) => ({
  description,
  content: json({ ...ref('ErrorDetail'), ...(example ? { example: { detail: example } } : {}) }),
});

const expiresIn = {
  name: 'expires_in',
  in: 'query',
  required: false,
  description: 'URL expiration time in seconds. Capped at the remaining lifetime of temporary credentials.',
  schema: { type: 'integer', minimum: EXPIRES_IN_MIN, maximum: EXPIRES_IN_MAX, default: EXPIRES_IN_DEFAULT },
} as const;

const s3Errors = {
  '422': { description: 'Validation Error', content: json(ref('HTTPValidationError')) },
  '500': detail('S3 not configured, or no AWS credentials', DETAIL_S3_CONFIG_MISSING),
  '502': detail('S3 refused the request (access denied, no such bucket, wrong region)'),
  '503': detail('S3 unreachable, timed out or overloaded'),
};

/** `GET /openapi.json`: the documented Recording API, plus Tapedeck's extensions (marked as such). */
/** Tapedeck's extensions of the list; without them the list is the spec's. */
const LIST_FILTERS = [
  {
    name: 'q',
    in: 'query',
    required: false,
    description:
      'Search: customer name words (prefixes, accents ignored), a phone number (formatting ignored; its last digits are enough), the start of an interaction id, or a dispatch id.',
    schema: { type: 'string', maxLength: 200 },
  },
  {
    name: 'status',
    in: 'query',
    required: false,
    description: 'Only these statuses (repeat the parameter or separate with commas).',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
  },
  {
    name: 'outcome',
    in: 'query',
    required: false,
    description: 'Only these outcomes (repeat the parameter or separate with commas).',
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
  },
  {
    name: 'from',
    in: 'query',
    required: false,
    description: 'Calls that started at or after this date (whole day) or date-time; no zone means UTC.',
    schema: { type: 'string', examples: ['2025-08-08', '2025-08-08T11:44:39Z'] },
  },
  {
    name: 'to',
    in: 'query',
    required: false,
    description: 'Calls that started at or before this date (whole day) or date-time; no zone means UTC.',
    schema: { type: 'string' },
  },
  {
    name: 'has_recording',
    in: 'query',
    required: false,
    description: 'true: only calls with a recording; false: only calls without one.',
    schema: { type: 'boolean' },
  },
];

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Tapedeck Recording API',
    version: '1.0.0',
    description:
      'Presigned S3 URLs for call recordings, found from their dispatch id. Mirrors the Recording API ' +
      '(spec/recording-api.md); /sync is a Tapedeck extension.',
  },
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
          '200': { description: 'Presigned URLs for the recording', content: json(ref('RecordingUrls')) },
          '404': detail('No recording for this dispatch', DETAIL_NOT_FOUND),
          ...s3Errors,
        },
      },
    },
    '/recordings': {
      get: {
        summary: 'List All Recordings',
        operationId: 'listRecordings',
        description: `Newest first by start_time. limit above ${LIST_LIMIT_MAX} is capped to ${LIST_LIMIT_MAX}.`,
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            description: `Number of recordings to return (capped at ${LIST_LIMIT_MAX})`,
            schema: { type: 'integer', minimum: 0, default: LIST_LIMIT_DEFAULT },
          },
          {
            name: 'offset',
            in: 'query',
            required: false,
            description: 'Offset for pagination',
            schema: { type: 'integer', minimum: 0, default: 0 },
          },
          { ...expiresIn, description: 'Tapedeck extension: lifetime of each recording_url, in seconds.' },
          ...LIST_FILTERS,
          {
            name: 'after',
            in: 'query',
            required: false,
            description:
              'Tapedeck extension, keyset paging: empty for the first page, then the next_after of the previous answer (which then carries next_after; null on the last page). Pages never repeat or skip a call added meanwhile. offset is ignored with it.',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '200': { description: 'A page of recordings', content: json(ref('RecordingList')) },
          ...s3Errors,
        },
      },
    },
    '/recordings.csv': {
      get: {
        summary: 'Export the list as CSV (Tapedeck extension)',
        operationId: 'exportRecordingsCsv',
        description:
          'Every call matching the filters, newest first, streamed as RFC 4180 CSV with the columns ' +
          'interaction_id, customer_name, phone, status, outcome, duration, start_time, end_time, dispatch_id, s3_key.',
        parameters: LIST_FILTERS,
        responses: {
          '200': { description: 'The CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
        },
      },
    },
    '/sync': {
      get: {
        summary: 'Sync status (Tapedeck extension)',
        operationId: 'getSyncStatus',
        responses: {
          '200': { description: 'The state of the S3 listing sync', content: json(ref('SyncReply')) },
        },
      },
      post: {
        summary: 'Start a sync of the S3 listing into the catalog (Tapedeck extension)',
        operationId: 'startSync',
        responses: {
          '202': {
            description: 'The sync started (or was already running)',
            content: json(ref('SyncReply')),
          },
          '500': detail('S3 not configured', DETAIL_S3_CONFIG_MISSING),
        },
      },
    },
  },
  components: {
    schemas: {
      RecordingUrls: {
        type: 'object',
        required: ['recording_url', 'download_url', 'dispatch_id', 's3_key', 'expires_in', 'expires_at'],
        properties: {
          recording_url: { type: 'string', format: 'uri' },
          download_url: { type: 'string', format: 'uri' },
          dispatch_id: { type: 'string' },
          s3_key: { type: 'string' },
          expires_in: { type: 'integer' },
          expires_at: { type: 'string', format: 'date-time', example: '2025-08-08T12:44:39.000Z' },
        },
      },
      RecordingListItem: {
        type: 'object',
        required: [
          'interaction_id',
          'customer_name',
          'phone',
          'status',
          'outcome',
          'duration',
          'start_time',
          'end_time',
          'recording_url',
          'dispatch_id',
        ],
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
        },
      },
      RecordingList: {
        type: 'object',
        required: ['recordings', 'limit', 'offset'],
        properties: {
          recordings: { type: 'array', items: ref('RecordingListItem') },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
        },
      },
      SyncReply: {
        type: 'object',
        properties: {
          sync: {
            type: ['object', 'null'],
            properties: {
              state: { enum: ['idle', 'running', 'succeeded', 'failed', 'cancelled'] },
              startedAt: { type: ['string', 'null'], format: 'date-time' },
              finishedAt: { type: ['string', 'null'], format: 'date-time' },
              objectsListed: { type: 'integer' },
              recordingsAdded: { type: 'integer' },
              recordingsRemoved: { type: 'integer' },
              error: nullableString,
            },
          },
        },
      },
      ErrorDetail: {
        type: 'object',
        required: ['detail'],
        properties: { detail: { type: 'string' } },
      },
      HTTPValidationError: {
        type: 'object',
        properties: {
          detail: {
            type: 'array',
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
