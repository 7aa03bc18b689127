/**
 * The review's notes drawn over the player's waveform: a pin at a moment, a band over a range, in
 * the note's lane (agent above, customer below, both across). A click seeks there and plays. DOM
 * elements over the canvas (not drawn into it), so each is a button a screen reader can name.
 */
import { useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { AudioController } from '../player/audio-controller.ts';
import { noteTime } from './notes-list.tsx';
import type { ShownNote } from './review-changes.ts';
import type { Reviews } from './use-reviews.ts';
import { useSessionState } from './use-reviews.ts';

/** Where a note sits along the waveform, as percentages of its width. */
export function markerSpan(
  note: { at_ms: number; end_ms: number | null },
  durationSeconds: number,
): { left: number; width: number } | null {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return null;
  const total = durationSeconds * 1000;
  const left = Math.min(100, Math.max(0, (note.at_ms / total) * 100));
  const end = note.end_ms === null ? null : Math.min(100, Math.max(left, (note.end_ms / total) * 100));
  return { left, width: end === null ? 0 : end - left };
}

export function NoteMarkers(props: { reviews: Reviews; controller: AudioController; interactionId: string }) {
  const { reviews, controller } = props;
  const state = useSessionState(reviews.session);
  const duration = useSyncExternalStore(controller.subscribe, () => controller.getState().duration);
  const fallback = reviews.call?.duration ?? NaN;
  const ref = useRef<HTMLDivElement>(null);
  // Over the canvas only (the lane names' gutter is beside it): follow its box.
  useLayoutEffect(() => {
    const layer = ref.current;
    const canvas = layer?.parentElement?.querySelector('canvas');
    if (!layer || !canvas) return;
    const place = () => {
      layer.style.left = `${canvas.offsetLeft}px`;
      layer.style.width = `${canvas.clientWidth}px`;
    };
    place();
    const observer = new ResizeObserver(place);
    observer.observe(canvas);
    return () => observer.disconnect();
  });
  if (reviews.session?.interactionId !== props.interactionId || state === null) return null;
  const length = Number.isFinite(duration) && duration > 0 ? duration : fallback;
  const notes: readonly ShownNote[] = state.shown.notes;
  return (
    <div ref={ref} className="note-markers">
      {notes.map((note) => {
        const span = markerSpan(note, length);
        if (span === null) return null;
        const time = noteTime(note);
        const label = `Note at ${time}${note.text ? `: ${note.text}` : ''}`;
        return (
          <button
            key={note.note_id}
            type="button"
            // The notes list is the keyboard's way to these: the markers are for the pointer.
            tabIndex={-1}
            className={`note-marker lane-${note.lane}${note.end_ms === null ? '' : ' is-range'}`}
            style={{
              left: `${span.left}%`,
              width: note.end_ms === null ? undefined : `${Math.max(span.width, 0.5)}%`,
            }}
            aria-label={label}
            title={label}
            onPointerDown={(event) => event.stopPropagation()}
            onClick={(event) => {
              event.stopPropagation();
              reviews.playAt(note.at_ms / 1000);
            }}
          />
        );
      })}
    </div>
  );
}
