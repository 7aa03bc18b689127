/** The shapes of the documented Recording API (spec/recording-api.md), field for field. */

/** `GET /recordings/{dispatch_id}` */
export interface RecordingUrls {
  recording_url: string;
  download_url: string;
  dispatch_id: string;
  s3_key: string;
  expires_in: number;
  /** ISO-8601 UTC with milliseconds and `Z`. */
  expires_at: string;
}

/** One interaction (call) as imported from a metadata source: the documented list fields. */
export interface Interaction {
  interaction_id: string;
  customer_name: string | null;
  phone: string | null;
  status: string | null;
  outcome: string | null;
  /** Seconds. */
  duration: number | null;
  /** ISO-8601 UTC with milliseconds and `Z`. */
  start_time: string | null;
  end_time: string | null;
  dispatch_id: string | null;
}

/** The documented list fields, in the spec's order: what imports read, exports write and the API lists. */
export const INTERACTION_FIELDS = [
  'interaction_id',
  'customer_name',
  'phone',
  'status',
  'outcome',
  'duration',
  'start_time',
  'end_time',
  'dispatch_id',
] as const satisfies readonly (keyof Interaction)[];

/** An item of `GET /recordings`: an interaction and the URL of its recording, if it has one. */
export interface RecordingListItem extends Interaction {
  recording_url: string | null;
}

/** `GET /recordings` */
export interface RecordingList {
  recordings: RecordingListItem[];
  limit: number;
  offset: number;
}

export const EXPIRES_IN_DEFAULT = 3600;
export const EXPIRES_IN_MIN = 1;
export const EXPIRES_IN_MAX = 604800;
export const LIST_LIMIT_DEFAULT = 10;
/** Larger `limit` values are capped to this (documented in README and openapi.json). */
export const LIST_LIMIT_MAX = 1000;

/** The spec's error texts, to the letter. */
export const DETAIL_NOT_FOUND = 'Recording not found. Call may still be in progress or recording failed.';
export const DETAIL_S3_CONFIG_MISSING = 'S3 configuration missing. Recording URLs not available.';
