/** The transcripts domain: a call's transcript for the player's panel (issue 13; docs/transcripts.md). */
import { z } from 'zod';
import { speakerSchema } from './calls.ts';
import { text, type ContractPart } from './shapes.ts';

export const TRANSCRIPT_FORMATS = ['transcribe', 'contact-lens', 'livekit', 'vtt', 'srt'] as const;

export const transcriptSegmentSchema = z.object({
  startMs: z.number().int().min(0),
  endMs: z.number().int().min(0),
  speaker: speakerSchema,
  /** The source's own name for the speaker (`ch_0`, `spk_1`, `AGENT`, `assistant`), or null. */
  speakerLabel: z.string().nullable(),
  text: z.string(),
  /** Contact Lens / Call Analytics sentiment of the turn, where the source has it. */
  sentiment: z.enum(['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED']).nullable(),
});

export const transcriptViewSchema = z.object({
  interactionId: z.string(),
  /** Where it was read from: an S3 key (`s3://bucket/key`) or a local file path. */
  source: z.string(),
  format: z.enum(TRANSCRIPT_FORMATS),
  /** How wall-clock times were put on the recording's time line (LiveKit history), shown to the reviewer. */
  alignment: z.object({ source: z.enum(['manifest', 'key']), recordingStartMs: z.number().int() }).nullable(),
  segments: z.array(transcriptSegmentSchema),
});

export const transcriptsContract = {
  methods: {
    /** The call's transcript; null when it has none. */
    'transcripts:get': {
      input: z.object({ interactionId: text(200).min(1) }).strict(),
      output: transcriptViewSchema.nullable(),
    },
  },
  events: {},
} as const satisfies ContractPart;
