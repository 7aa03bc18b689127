/** The downloads domain: recordings saved to disk (and CSV exports), with progress, cancel and reveal. */
import { z } from 'zod';
import { none, text, type ContractPart } from './shapes.ts';

export const downloadSchema = z.object({
  id: z.string(),
  interactionId: z.string().nullable(),
  key: z.string(),
  fileName: z.string(),
  /** Where the file is (or will be, once finished). */
  path: z.string(),
  state: z.enum(['queued', 'running', 'finished', 'failed', 'cancelled']),
  receivedBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0).nullable(),
  error: z.string().nullable(),
  /** A recording saved from S3, or a CSV export written by Tapedeck (absent: a recording). */
  kind: z.enum(['recording', 'export']).optional(),
  /** True when the file was already saved: nothing was written again, the existing file is shown. */
  alreadySaved: z.boolean().optional(),
  /** For an export: how many calls it holds. */
  rows: z.number().int().min(0).optional(),
});

export const downloadsContract = {
  methods: {
    'downloads:start': {
      input: z.object({ interactionIds: z.array(text(1000)).min(1).max(10_000) }),
      output: z.object({ downloads: z.array(downloadSchema), skipped: z.array(z.string()) }),
    },
    'downloads:cancel': { input: z.object({ id: text(100) }), output: downloadSchema },
    'downloads:list': { input: none, output: z.array(downloadSchema) },
    'downloads:reveal': { input: z.object({ id: text(100) }), output: z.object({ shown: z.boolean() }) },
  },
  events: {
    'downloads:progress': downloadSchema,
  },
} as const satisfies ContractPart;
