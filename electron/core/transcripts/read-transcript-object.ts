/**
 * Reads a transcript object from the bucket, up to MAX_TRANSCRIPT_BYTES (a transcript of a long
 * call is larger than the 1 MiB an Egress manifest may have, so the manifest reader does not do).
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Location } from '../config.ts';
import { describeLocation } from '../config.ts';
import { describeS3Failure } from '../s3/s3-errors.ts';
import { MAX_TRANSCRIPT_BYTES } from './transcript.ts';

/** A transcript larger than MAX_TRANSCRIPT_BYTES: not read. */
export class TranscriptTooLargeError extends Error {
  override readonly name = 'TranscriptTooLargeError';
}

export type TranscriptObjectReader = (key: string, signal?: AbortSignal) => Promise<Uint8Array>;

export function transcriptObjectReader(client: S3Client, location: S3Location): TranscriptObjectReader {
  const where = describeLocation(location);
  const tooLarge = () =>
    new TranscriptTooLargeError(
      `it is larger than the ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MB a transcript is read up to`,
    );
  return async (key, signal) => {
    let output;
    try {
      output = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }), {
        abortSignal: signal,
      });
    } catch (error) {
      throw describeS3Failure(error, where);
    }
    const body = output.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (!body) return new Uint8Array();
    if ((output.ContentLength ?? 0) > MAX_TRANSCRIPT_BYTES) {
      body.destroy?.();
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      for await (const chunk of body) {
        received += chunk.byteLength;
        if (received > MAX_TRANSCRIPT_BYTES) {
          body.destroy?.();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof TranscriptTooLargeError) throw error;
      throw describeS3Failure(error, where);
    }
    return Buffer.concat(chunks);
  };
}
