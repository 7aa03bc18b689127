/**
 * Playing rows of the list: a row by its index, "next call" (the next row with a recording after
 * the one in the player), and auto-advance to it when a call ends.
 */
import { useCallback, useEffect, useRef } from 'react';
import { callTitle } from '../calls/call-format.ts';
import type { CallPageStore } from '../calls/call-page-store.ts';
import { nextCallOrigin, nextPlayableIndex } from '../calls/selection.ts';
import { autoAdvance } from '../preferences/stored-preference.ts';
import { useNotify } from '../ui/notices.tsx';
import type { AudioController } from './audio-controller.ts';

export interface CallPlayback {
  /**
   * Plays the row at `index` (selecting it), from its first `said` hit when it has one; a row
   * without a recording is not put in the player.
   */
  readonly playIndex: (index: number) => Promise<void>;
  readonly playNext: () => Promise<void>;
}

export function useCallPlayback(options: {
  controller: AudioController;
  store: CallPageStore;
  total: number;
  activeIndex: number;
  select: (index: number) => void;
}): CallPlayback {
  const { controller, store, total, activeIndex, select } = options;
  const notify = useNotify();
  /** Where the call in the player was in the list when it was played. */
  const playing = useRef<{ index: number; id: string } | null>(null);

  const playIndex = useCallback(
    async (index: number) => {
      select(index);
      const row = await store.loadRow(index);
      if (!row) return;
      // A row found by what was said plays from its first hit (the time its snippet shows).
      const hit = row.said?.[0];
      if (hit !== undefined ? controller.playFrom(row, hit.startMs / 1000) : controller.play(row)) {
        playing.current = { index, id: row.interaction_id };
      } else if (controller.getState().call !== null) {
        // The player shows another call: say it here, once (when it shows this one, it says so itself).
        notify('info', `${callTitle(row)} has no recording.`, { group: 'no-recording' });
      }
    },
    [controller, store, select, notify],
  );

  const playNext = useCallback(async () => {
    const from = nextCallOrigin(playing.current, activeIndex, (i) => store.rowAt(i));
    const next = await nextPlayableIndex(from, total, (i) => store.loadRow(i));
    if (next === null) {
      notify('info', 'No next call with a recording in this list.', { group: 'next-call' });
      return;
    }
    await playIndex(next);
  }, [activeIndex, total, store, playIndex, notify]);

  const latestNext = useRef(playNext);
  useEffect(() => {
    latestNext.current = playNext;
  }, [playNext]);

  useEffect(() => {
    const onEnded = () => {
      if (autoAdvance.read()) void latestNext.current();
    };
    controller.audio.addEventListener('ended', onEnded);
    return () => controller.audio.removeEventListener('ended', onEnded);
  }, [controller]);

  return { playIndex, playNext };
}
