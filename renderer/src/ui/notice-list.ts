/** The notices on screen as a list, changed by plain functions (unit-tested without a browser). */

export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface Notice {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
  /**
   * One action's notice (a bulk download, an export): a later notice of the same group replaces it
   * in place, so one action never stacks several cards.
   */
  readonly group: string | null;
  readonly action: NoticeAction | null;
}

export const MAX_NOTICES = 3;

/**
 * `incoming` added: it replaces its group's notice where that one was; otherwise it goes last, and
 * the same text shown already (a key held down) is shown once. At most `max` stay: the oldest
 * information goes first, errors (which wait to be dismissed) last.
 */
export function withNotice(all: readonly Notice[], incoming: Notice, max = MAX_NOTICES): Notice[] {
  const at = incoming.group === null ? -1 : all.findIndex((n) => n.group === incoming.group);
  let next: Notice[];
  if (at >= 0) {
    next = all.map((n, i) => (i === at ? incoming : n));
  } else {
    next = [...all.filter((n) => n.text !== incoming.text), incoming];
  }
  while (next.length > max) {
    const drop = next.findIndex((n) => n.kind === 'info' && n !== incoming);
    next.splice(drop === -1 ? 0 : drop, 1);
  }
  return next;
}
