/** The calls domain: list, search, export and waveforms of the calls in the open library. */
import { z } from 'zod';
import { isoDateTime, text, type ContractPart } from './shapes.ts';

/** Who spoke, as the transcript's turns and the waveform's lanes name them. */
export const SPEAKERS = ['agent', 'customer', 'unknown'] as const;
export const speakerSchema = z.enum(SPEAKERS);

/** One place in a call's transcript where the searched words were spoken. */
export const saidHitSchema = z.object({
  startMs: z.number().int().min(0),
  speaker: speakerSchema,
  /** The turn's words around the hit; the matched words are wrapped in « and ». */
  snippet: z.string(),
});

/** A call in the list: the documented list fields plus what the renderer needs of its recording. */
export const callRowSchema = z.object({
  interaction_id: z.string(),
  customer_name: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string().nullable(),
  outcome: z.string().nullable(),
  duration: z.number().nullable(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  dispatch_id: z.string().nullable(),
  recording: z
    .object({
      key: z.string(),
      size: z.number().nullable(),
      /** The name a download of it is saved under. */
      fileName: z.string(),
    })
    .nullable(),
  /**
   * Where the words of the `said` filter were spoken in this call (best hits first, a few at most):
   * present only when the query has `said`.
   */
  said: z.array(saidHitSchema).optional(),
});

/** What narrows the list: the same filter `GET /recordings` reads from its query string. */
export const callFilterSchema = z.object({
  /** Matches customer name, phone (formatting ignored), interaction id and dispatch id. */
  search: text(200).default(''),
  status: z.array(text(100)).max(50).default([]),
  outcome: z.array(text(100)).max(50).default([]),
  /** Inclusive bounds on start_time. */
  from: isoDateTime.nullable().default(null),
  to: isoDateTime.nullable().default(null),
  hasRecording: z.boolean().nullable().default(null),
  /** The call's review (unreviewed: nobody reviewed it; draft; passed; failed), any of these. */
  review: z
    .array(z.enum(['unreviewed', 'draft', 'passed', 'failed']))
    .max(4)
    .default([]),
  /** Bounds on the call's review score (percentage); calls without a score never match. */
  scoreMin: z.number().min(0).max(100).nullable().default(null),
  scoreMax: z.number().min(0).max(100).nullable().default(null),
  /** A tag on any of the call's reviews. */
  reviewTag: text(64).nullable().default(null),
  /** Reviewed by (any review of the call). */
  reviewer: text(128).nullable().default(null),
  /** Reviewed with this form (form_id). */
  reviewForm: text(100).nullable().default(null),
  /**
   * Words spoken in the call (its transcript): words, "quoted phrases", prefix* — see
   * docs/transcripts.md. The search box's `said:` prefix and `said=` over HTTP.
   */
  said: text(200).nullable().default(null),
  /** Only words spoken by this side count for `said`. */
  saidBy: z.enum(['agent', 'customer']).nullable().default(null),
});

export const callQuerySchema = callFilterSchema.extend({
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});

export const waveformSchema = z.object({
  /** One array of peaks (0..1) per channel: [agent, customer] for a stereo call. */
  channels: z
    .array(z.array(z.number().min(0).max(1)).max(20_000))
    .min(1)
    .max(2),
  durationSeconds: z.number().min(0).max(86_400),
});

const recordingKeyInput = z.object({ key: text(1024).min(1) });

export const callsContract = {
  methods: {
    'recordings:list': {
      input: callQuerySchema,
      output: z.object({
        rows: z.array(callRowSchema),
        /** null when the view's count is not known yet: ask `recordings:count` (rows never wait for it). */
        total: z.number().int().nullable(),
        offset: z.number().int(),
      }),
    },
    /** The number of calls in the view; may take a moment for a new filter over a large library. */
    'recordings:count': { input: callFilterSchema, output: z.object({ total: z.number().int().min(0) }) },
    /** Writes the view (the query's filters, every page) as CSV into the downloads folder. */
    'recordings:export': {
      input: callFilterSchema,
      output: z.object({ path: z.string(), rows: z.number().int().min(0) }),
    },
    'recordings:waveform': { input: recordingKeyInput, output: waveformSchema.nullable() },
    'recordings:saveWaveform': {
      input: recordingKeyInput.extend({ waveform: waveformSchema }),
      output: z.object({ saved: z.boolean() }),
    },
  },
  events: {},
} as const satisfies ContractPart;
