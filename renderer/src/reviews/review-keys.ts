/**
 * The review panel's own keys, read from a key press and what has the focus. Kept apart from the
 * window's shortcut table (keyboard/keyboard-shortcuts.ts) because they mean something only on a
 * question: N is N/A here and "next call" elsewhere, ↑/↓ move between questions here and along the
 * list elsewhere. Pure, so the mapping is unit-tested.
 */

export type PanelKeyIntent =
  /** Picks (or, for multiple choice, ticks) option `index` (0-based) of the focused question. */
  | { readonly kind: 'pick'; readonly index: number }
  | { readonly kind: 'na' }
  | { readonly kind: 'move'; readonly by: 1 | -1 }
  /** Opens the focused question's comment. */
  | { readonly kind: 'comment' }
  /** Escape: from a text field back to its question; from a question back to the list. */
  | { readonly kind: 'leave' };

/** What has the focus in the panel: an option (radio, checkbox), a text field, or something else. */
export type PanelTarget = 'option' | 'text' | 'other';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
  readonly shiftKey?: boolean;
}

export function panelKeyIntent(press: KeyPress, target: PanelTarget): PanelKeyIntent | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === 'Escape') return target === 'other' ? null : { kind: 'leave' };
  // Typing: every other key is text.
  if (target !== 'option') return null;
  if (/^[1-9]$/.test(press.key)) return { kind: 'pick', index: Number(press.key) - 1 };
  switch (press.key) {
    case 'n':
    case 'N':
      return { kind: 'na' };
    case 'c':
    case 'C':
      return { kind: 'comment' };
    case 'ArrowDown':
      return { kind: 'move', by: 1 };
    case 'ArrowUp':
      return { kind: 'move', by: -1 };
    default:
      return null;
  }
}

export function panelTarget(element: EventTarget | null): PanelTarget {
  if (!(element instanceof HTMLElement)) return 'other';
  if (element instanceof HTMLTextAreaElement || element.isContentEditable) return 'text';
  if (element instanceof HTMLInputElement) {
    return element.type === 'radio' || element.type === 'checkbox' ? 'option' : 'text';
  }
  if (element.dataset.question !== undefined) return 'option';
  return 'other';
}
