/**
 * "Quote in note": a transcript turn becomes a review note of the call, its words in quotes with
 * the speaker, pinned to the turn's start on the speaker's lane. The review panel opens first when
 * it is closed, and the note is written once the review has loaded.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import { type NotePrefill, type Reviews, useSessionState } from '../reviews/use-reviews.ts';
import { useNotify } from '../ui/notices.tsx';
import { notePrefillFor, type TranscriptSegment } from './transcript-turns.ts';

export function useQuoteTurn(
  reviews: Reviews,
  selectedId: string | null,
): (call: CallRow, segment: TranscriptSegment) => void {
  const notify = useNotify();
  const sessionState = useSessionState(reviews.session);
  /** A quote waiting for the review panel it opened to load its review. */
  const pending = useRef<{ interactionId: string; prefill: NotePrefill } | null>(null);
  const reviewedId = reviews.call?.interaction_id ?? null;
  const ready = reviews.session !== null && sessionState !== null && !sessionState.loading;

  useEffect(() => {
    const waiting = pending.current;
    if (waiting === null || !ready || reviewedId !== waiting.interactionId) return;
    pending.current = null;
    reviews.addNote(undefined, waiting.prefill);
  }, [ready, reviewedId, reviews]);

  return useCallback(
    (call: CallRow, segment: TranscriptSegment) => {
      const prefill = notePrefillFor(segment);
      if (reviews.panelOpen && reviewedId === call.interaction_id && ready) {
        reviews.addNote(undefined, prefill);
        return;
      }
      if ((reviews.panelOpen ? reviewedId : selectedId) !== call.interaction_id) {
        notify(
          'info',
          'The review panel shows the selected call: select this call in the list to quote it in a note.',
          { group: 'review' },
        );
        return;
      }
      pending.current = { interactionId: call.interaction_id, prefill };
      if (!reviews.panelOpen) reviews.openPanel();
    },
    [reviews, reviewedId, selectedId, ready, notify],
  );
}
