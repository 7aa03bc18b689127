import type { CallQueries } from '../catalog/call-queries.ts';
import { openRecordingObject } from '../s3/recording-object.ts';
import { ServiceError } from '../service-error.ts';
import type { TapedeckCore } from '../tapedeck-core.ts';
import type { MediaResponse } from './media-response.ts';

/**
 * Streams a catalogued recording for the player, passing a Range through to S3 so seeking works:
 * the desktop protocol and the web route both answer this. Only keys in the catalog may be opened,
 * so the renderer cannot read arbitrary objects of the bucket.
 */
export async function openMedia(
  core: TapedeckCore,
  calls: CallQueries,
  where: string,
  key: string,
  range: string | undefined,
): Promise<MediaResponse> {
  const recording = calls.recordingByKey(key);
  if (!recording) return errorResponse(404, 'That recording is not in the catalog. Try "Sync now".');
  if (!core.s3Client || !core.config.s3) return errorResponse(500, 'No S3 bucket is configured.');
  try {
    const object = await openRecordingObject(core.s3Client, core.config.s3.bucket, key, where, { range });
    const headers: Record<string, string> = {
      'content-type': key.endsWith('.mp4') ? 'audio/mp4' : (object.contentType ?? 'application/octet-stream'),
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=3600',
    };
    if (object.contentLength !== null) headers['content-length'] = String(object.contentLength);
    if (object.contentRange !== null) headers['content-range'] = object.contentRange;
    if (object.etag !== null) headers.etag = `"${object.etag}"`;
    return { status: object.status, headers, body: object.body };
  } catch (error) {
    if (error instanceof ServiceError) {
      if ((error.cause as { name?: unknown } | undefined)?.name === 'InvalidRange') {
        const size = recording.size === null ? '*' : String(recording.size);
        return {
          ...errorResponse(416, 'That range is outside the recording.'),
          headers: rangeNotSatisfiable(size),
        };
      }
      return errorResponse(error.code === 's3_refused' ? 502 : 503, error.message);
    }
    throw error;
  }
}

function rangeNotSatisfiable(size: string): Record<string, string> {
  return { 'content-type': 'application/json', 'content-range': `bytes */${size}` };
}

function errorResponse(status: number, detail: string): MediaResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: null,
    errorBody: JSON.stringify({ detail }),
  };
}
