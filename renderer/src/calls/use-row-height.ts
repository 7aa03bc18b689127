import { useSyncExternalStore } from 'react';

/**
 * Rows are one line on a wide window and two on a narrow one (a small window, or 200 % zoom):
 * the virtualizer needs the height in pixels, so it follows the same breakpoint as the CSS.
 */
const NARROW = '(max-width: 760px)';
export const ROW_HEIGHT = 40;
export const NARROW_ROW_HEIGHT = 60;

const query = window.matchMedia(NARROW);

export function useRowHeight(): number {
  const narrow = useSyncExternalStore(
    (onChange) => {
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => query.matches,
  );
  return narrow ? NARROW_ROW_HEIGHT : ROW_HEIGHT;
}
