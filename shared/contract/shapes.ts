/** Small shapes every domain's part of the contract uses. */
import { z } from 'zod';

export const text = (max = 1000) => z.string().max(max);
export const isoDateTime = z.iso.datetime({ offset: true });
export const none = z.object({}).strict();

/** Minutes between background syncs: 0 turns them off, at most a week. One limit for every door. */
export const SYNC_INTERVAL_MAX_MINUTES = 10_080;
export const syncIntervalMinutesSchema = z.number().int().min(0).max(SYNC_INTERVAL_MAX_MINUTES);

/** One domain's share of the contract: its methods (input and output schemas) and its events. */
export interface ContractPart {
  readonly methods: Readonly<Record<string, { readonly input: z.ZodType; readonly output: z.ZodType }>>;
  readonly events: Readonly<Record<string, z.ZodType>>;
}
