import { useSyncExternalStore } from 'react';

/**
 * Rows are one line on a wide window and two on a narrow one (a small window, or 200 % zoom), and
 * a little lower on a short window: the virtualizer needs the height in pixels, so it follows the
 * same breakpoints as the CSS.
 */
const NARROW = '(max-width: 640px)';
const SHORT = '(max-height: 640px)';
export const ROW_HEIGHT = 40;
export const SHORT_ROW_HEIGHT = 36;
export const NARROW_ROW_HEIGHT = 60;

const narrowQuery = window.matchMedia(NARROW);
const shortQuery = window.matchMedia(SHORT);

function subscribe(onChange: () => void): () => void {
  narrowQuery.addEventListener('change', onChange);
  shortQuery.addEventListener('change', onChange);
  return () => {
    narrowQuery.removeEventListener('change', onChange);
    shortQuery.removeEventListener('change', onChange);
  };
}

export function useRowHeight(): number {
  return useSyncExternalStore(subscribe, () =>
    narrowQuery.matches ? NARROW_ROW_HEIGHT : shortQuery.matches ? SHORT_ROW_HEIGHT : ROW_HEIGHT,
  );
}
