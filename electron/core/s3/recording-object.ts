import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { describeS3Failure } from './s3-errors.ts';

export interface RecordingObject {
  /** 200 for the whole object, 206 for a range. */
  readonly status: 200 | 206;
  readonly body: Readable;
  readonly contentLength: number | null;
  /** `bytes 0-99/1000` for a range. */
  readonly contentRange: string | null;
  /** Without quotes. */
  readonly etag: string | null;
  readonly contentType: string | null;
}

/** A single `bytes=first-[last]` range; anything else (suffix or multiple ranges) is served whole. */
const SINGLE_RANGE = /^bytes=\d{1,15}-\d{0,15}$/;

export function usableRange(range: string | undefined): string | undefined {
  const trimmed = range?.trim();
  return trimmed && SINGLE_RANGE.test(trimmed) ? trimmed : undefined;
}

/**
 * Opens a recording in the bucket as a stream, whole or from a byte range, for the player and for
 * downloads. S3 answers the range itself, so seeking costs no more than the bytes played.
 */
export async function openRecordingObject(
  client: S3Client,
  bucket: string,
  key: string,
  where: string,
  options: { range?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<RecordingObject> {
  const range = usableRange(options.range);
  try {
    const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }), {
      abortSignal: options.signal,
    });
    if (!(output.Body instanceof Readable)) throw new Error('S3 answered without a body stream');
    return {
      status: output.ContentRange ? 206 : 200,
      body: output.Body,
      contentLength: output.ContentLength ?? null,
      contentRange: output.ContentRange ?? null,
      etag: output.ETag?.replaceAll('"', '') ?? null,
      contentType: output.ContentType ?? null,
    };
  } catch (error) {
    throw describeS3Failure(error, where);
  }
}
