/**
 * Every keyboard shortcut, in one table: the key handler and the `?` dialog both read it, so the
 * dialog can never list a shortcut that does not work (or miss one that does).
 */
import { useEffect, useLayoutEffect, useRef } from 'react';

export type ShortcutAction =
  | 'togglePlay'
  | 'skipBack'
  | 'skipForward'
  | 'previousCall'
  | 'nextCall'
  | 'previousPage'
  | 'nextPage'
  | 'firstCall'
  | 'lastCall'
  | 'playSelected'
  | 'playNext'
  | 'slower'
  | 'toggleTranscript'
  | 'faster'
  | 'toggleChecked'
  | 'download'
  | 'exportCsv'
  | 'focusSearch'
  | 'showShortcuts'
  | 'openReview'
  | 'addNote'
  | 'addRangeNote'
  | 'nextToReview'
  | 'submitReview';

export interface Shortcut {
  readonly action: ShortcutAction;
  /** `KeyboardEvent.key` values that trigger it. */
  readonly keys: readonly string[];
  /** How the keys are shown in the help dialog. */
  readonly label: readonly string[];
  readonly description: string;
  readonly group: 'Playback' | 'List' | 'Review' | 'General';
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'togglePlay',
    keys: [' '],
    label: ['Space'],
    description: 'Play or pause (in the list: tick the call)',
    group: 'Playback',
  },
  { action: 'skipBack', keys: ['ArrowLeft'], label: ['←'], description: 'Back 5 seconds', group: 'Playback' },
  {
    action: 'skipForward',
    keys: ['ArrowRight'],
    label: ['→'],
    description: 'Forward 5 seconds',
    group: 'Playback',
  },
  {
    action: 'playNext',
    keys: ['n', 'N'],
    label: ['N'],
    description: 'Play the next call',
    group: 'Playback',
  },
  { action: 'slower', keys: ['['], label: ['['], description: 'Slower', group: 'Playback' },
  { action: 'faster', keys: [']'], label: [']'], description: 'Faster', group: 'Playback' },
  {
    action: 'toggleTranscript',
    keys: ['t', 'T'],
    label: ['T'],
    description: 'Show or hide the transcript (in it: ↑/↓ turn, Enter play from there)',
    group: 'Playback',
  },
  { action: 'previousCall', keys: ['ArrowUp'], label: ['↑'], description: 'Previous call', group: 'List' },
  { action: 'nextCall', keys: ['ArrowDown'], label: ['↓'], description: 'Next call', group: 'List' },
  {
    action: 'previousPage',
    keys: ['PageUp'],
    label: ['Page Up'],
    description: 'A screenful up',
    group: 'List',
  },
  {
    action: 'nextPage',
    keys: ['PageDown'],
    label: ['Page Down'],
    description: 'A screenful down',
    group: 'List',
  },
  { action: 'firstCall', keys: ['Home'], label: ['Home'], description: 'First call', group: 'List' },
  { action: 'lastCall', keys: ['End'], label: ['End'], description: 'Last call', group: 'List' },
  {
    action: 'playSelected',
    keys: ['Enter'],
    label: ['Enter'],
    description: 'Play the selected call',
    group: 'List',
  },
  {
    action: 'toggleChecked',
    keys: ['x', 'X'],
    label: ['X'],
    description: 'Tick the selected call for a bulk download (Space in the list)',
    group: 'List',
  },
  {
    action: 'download',
    keys: ['d', 'D'],
    label: ['D'],
    description: 'Download the selected call',
    group: 'List',
  },
  {
    action: 'exportCsv',
    keys: ['e', 'E'],
    label: ['E'],
    description: 'Export the calls in view as CSV',
    group: 'List',
  },
  {
    action: 'openReview',
    keys: ['r', 'R'],
    label: ['R'],
    description: 'Review the selected call (in the panel: 1–9 answer, N N/A, ↑/↓ question, C comment)',
    group: 'Review',
  },
  {
    action: 'addNote',
    keys: ['m'],
    label: ['M'],
    description: 'Add a note at the playhead (playback goes on)',
    group: 'Review',
  },
  {
    action: 'addRangeNote',
    keys: ['M'],
    label: ['Shift', 'M'],
    description: 'End a range there: the note from the last M becomes a range',
    group: 'Review',
  },
  {
    action: 'nextToReview',
    keys: ['j', 'J'],
    label: ['J'],
    description: 'Next to review: the next unreviewed call (or the queue’s next)',
    group: 'Review',
  },
  {
    action: 'submitReview',
    // Ctrl+Enter, read in actionFor (the table's keys carry no modifiers).
    keys: [],
    label: ['Ctrl', 'Enter'],
    description: 'Submit the review',
    group: 'Review',
  },
  { action: 'focusSearch', keys: ['/'], label: ['/'], description: 'Search', group: 'General' },
  {
    action: 'showShortcuts',
    keys: ['?'],
    label: ['?'],
    description: 'Show these shortcuts',
    group: 'General',
  },
];

const byKey = new Map(SHORTCUTS.flatMap((shortcut) => shortcut.keys.map((key) => [key, shortcut.action])));

/** Keys the search box passes on, since a one-line text field has no use for them. */
const FROM_SEARCH = new Set<ShortcutAction>(['previousCall', 'nextCall', 'playSelected']);

/** Where a key belongs to the focused control, not to us. */
function ownsKey(target: EventTarget | null, action: ShortcutAction): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('dialog[open]')) return true; // A dialog has the keyboard to itself.
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    if (type === 'checkbox' || type === 'radio') return action === 'togglePlay' || action === 'playSelected';
    if (type === 'range') return action !== 'playSelected' && action !== 'togglePlay';
    if (type === 'search' && target.dataset.passKeys === 'list') return !FROM_SEARCH.has(action);
    return true; // Typing: letters, `/`, `?`, Space and arrows are text here.
  }
  // Buttons and links activate on Enter (and buttons on Space) as everywhere else.
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') {
    return action === 'togglePlay' || action === 'playSelected';
  }
  return false;
}

export function actionFor(event: KeyboardEvent): ShortcutAction | null {
  // Ctrl+Enter submits the review from anywhere, a comment or note being typed included.
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key === 'Enter') {
    return event.target instanceof HTMLElement && event.target.closest('dialog[open]')
      ? null
      : 'submitReview';
  }
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  // In the list, Space ticks the selected row (as in any grid); elsewhere it plays or pauses.
  if (
    event.key === ' ' &&
    event.target instanceof HTMLElement &&
    event.target.getAttribute('role') === 'grid'
  )
    return 'toggleChecked';
  const action = byKey.get(event.key);
  if (action === undefined || ownsKey(event.target, action)) return null;
  return action;
}

/** Listens on the window; `handlers` may change every render without re-subscribing. */
export function useKeyboardShortcuts(handlers: Record<ShortcutAction, () => void>): void {
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = actionFor(event);
      if (action === null) return;
      event.preventDefault();
      latest.current[action]();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
