/**
 * The transcripts domain: a call's transcript, for the player's panel (`transcripts:get`) and
 * `GET /recordings/{dispatch_id}/transcript`, over the open library's catalog. A call's transcript
 * is its recording's or, for a call without one, a transcript saved for the call itself (the same
 * rule the list's `said` filter uses).
 */
import type { z } from 'zod';
import type { transcriptViewSchema } from '../../../shared/contract/transcripts.ts';
import { parseDispatchId } from '../../../shared/dispatch.ts';
import type { LibraryParts, LibraryRef } from '../library/library-ref.ts';
import { ServiceError } from '../service-error.ts';
import { TranscriptStore, type StoredTranscript } from './transcript-store.ts';

export type TranscriptView = z.output<typeof transcriptViewSchema>;

/** What `GET /recordings/{dispatch_id}/transcript` answers (snake case, as the spec's fields). */
export interface TranscriptAnswer {
  readonly source: string;
  readonly format: StoredTranscript['format'];
  readonly segments: readonly {
    readonly start_ms: number;
    readonly end_ms: number;
    readonly speaker: StoredTranscript['segments'][number]['speaker'];
    readonly text: string;
    readonly sentiment?: NonNullable<StoredTranscript['segments'][number]['sentiment']>;
  }[];
}

export const DETAIL_NO_SUCH_CALL =
  'Transcript not found. No call or recording in the catalog has this dispatch id.';
export const DETAIL_NO_TRANSCRIPT =
  'Transcript not found. The call has no transcript yet: one beside its recording is found by the next sync.';

export class TranscriptsService {
  readonly #library: LibraryRef;

  constructor(library: LibraryRef) {
    this.#library = library;
  }

  /** `transcripts:get`: the call's transcript, turns in time order; null when it has none (or no such call). */
  ofCall(interactionId: string): TranscriptView | null {
    const library = this.#library();
    const stored = this.#stored(library, interactionId);
    if (stored === null) return null;
    return {
      interactionId,
      source: sourceName(library, stored.source_key),
      format: stored.format,
      alignment: stored.alignment && {
        source: stored.alignment.source,
        recordingStartMs: stored.alignment.recording_start_ms,
      },
      segments: stored.segments.map((segment) => ({
        startMs: segment.start_ms,
        endMs: segment.end_ms,
        speaker: segment.speaker,
        speakerLabel: segment.speaker_label,
        text: segment.text,
        sentiment: segment.sentiment ?? null,
      })),
    };
  }

  /** The transcript of the newest call a dispatch placed, as the HTTP API answers it; not_found when none. */
  ofDispatch(dispatchId: string): TranscriptAnswer {
    const library = this.#library();
    const interactionId = library.calls.interactionOfDispatch(dispatchId);
    let stored: StoredTranscript | null;
    if (interactionId !== null) {
      stored = this.#stored(library, interactionId);
    } else {
      // No metadata names this dispatch: its recording (the same rule GET /recordings/{id} follows) may have one.
      const dispatch = parseDispatchId(dispatchId);
      const recording = dispatch && library.store.findRecordingFor(dispatch);
      if (!recording) throw new ServiceError('not_found', DETAIL_NO_SUCH_CALL);
      stored = TranscriptStore.of(library.catalog).transcriptOf({ recording_key: recording.key });
    }
    if (stored === null) throw new ServiceError('not_found', DETAIL_NO_TRANSCRIPT);
    return {
      source: sourceName(library, stored.source_key),
      format: stored.format,
      segments: stored.segments.map((segment) => ({
        start_ms: segment.start_ms,
        end_ms: segment.end_ms,
        speaker: segment.speaker,
        text: segment.text,
        ...(segment.sentiment ? { sentiment: segment.sentiment } : {}),
      })),
    };
  }

  #stored(library: LibraryParts, interactionId: string): StoredTranscript | null {
    if (!library.calls.hasCall(interactionId)) return null;
    const recording = library.calls.recordingOf(interactionId);
    return TranscriptStore.of(library.catalog).transcriptOfCall({
      recording_key: recording?.key ?? null,
      interaction_id: interactionId,
    });
  }
}

/** Where a transcript was read from: `s3://bucket/key` for a key in the library's bucket, else the local path. */
function sourceName(library: LibraryParts, sourceKey: string): string {
  const local =
    sourceKey.startsWith('/') || /^[A-Za-z]:[\\/]/.test(sourceKey) || sourceKey.startsWith('s3://');
  return local || !library.storage ? sourceKey : `s3://${library.storage.location.bucket}/${sourceKey}`;
}
