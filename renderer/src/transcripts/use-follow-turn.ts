/**
 * Keeps the turn being spoken in view in the transcript's scroller while the call plays, without
 * moving the focus, and without fighting the reader: after they scroll the turns themselves (wheel,
 * touch, the scrollbar, keys) or step through search hits, following waits a few seconds.
 */
import { type RefObject, useCallback, useEffect, useRef } from 'react';

/** How long the reader's own scrolling holds following off. */
export const HOLD_MS = 4000;

const SCROLL_KEYS = new Set(['PageUp', 'PageDown', 'Home', 'End', 'ArrowUp', 'ArrowDown', ' ']);

/** Scrolls `list` (only it, never the page) so `item` is in view, a third of the way down if it moves. */
export function scrollIntoList(list: HTMLElement, item: HTMLElement, smooth: boolean): void {
  const top = item.offsetTop;
  const bottom = top + item.offsetHeight;
  if (top >= list.scrollTop && bottom <= list.scrollTop + list.clientHeight) return;
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  list.scrollTo({
    top: Math.max(0, top - list.clientHeight / 3),
    behavior: smooth && !reduced ? 'smooth' : 'auto',
  });
}

export function useFollowTurn(
  listRef: RefObject<HTMLElement | null>,
  current: number | null,
  /** Changes when the scroller is replaced (another call's transcript): its listeners move with it. */
  listKey: unknown,
): { hold: () => void } {
  const holdUntil = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(current);
  latest.current = current;

  const follow = useCallback(() => {
    const list = listRef.current;
    const index = latest.current;
    if (!list || index === null || Date.now() < holdUntil.current) return;
    const item = list.querySelector<HTMLElement>(`[data-turn="${index}"]`);
    if (item) scrollIntoList(list, item, true);
  }, [listRef]);

  const hold = useCallback(() => {
    holdUntil.current = Date.now() + HOLD_MS;
    clearTimeout(timer.current);
    // When the hold ends, catch up with the playhead even if the turn has not changed since.
    timer.current = setTimeout(follow, HOLD_MS + 50);
  }, [follow]);

  useEffect(() => follow(), [current, follow, listKey]);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const onKey = (event: KeyboardEvent) => {
      if (SCROLL_KEYS.has(event.key)) hold();
    };
    // The scrollbar: a press on the scroller itself, not on a turn.
    const onPointer = (event: PointerEvent) => {
      if (event.target === list) hold();
    };
    list.addEventListener('wheel', hold, { passive: true });
    list.addEventListener('touchstart', hold, { passive: true });
    list.addEventListener('pointerdown', onPointer);
    list.addEventListener('keydown', onKey);
    return () => {
      list.removeEventListener('wheel', hold);
      list.removeEventListener('touchstart', hold);
      list.removeEventListener('pointerdown', onPointer);
      list.removeEventListener('keydown', onKey);
      clearTimeout(timer.current);
    };
  }, [listRef, hold, listKey]);

  return { hold };
}
