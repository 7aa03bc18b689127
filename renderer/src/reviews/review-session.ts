/**
 * One reviewer's review of one call, as the panel edits it: main's review, the changes not yet
 * stored, and the sending of them. Every change is sent within a fraction of a second (typing is
 * gathered for SEND_DELAY_MS); until main has stored it, it is also kept in localStorage, so a
 * reload or a crash of the page loses nothing, and changes made while the server is away are sent
 * when it answers again. Outside React, so the panel, the waveform's markers and the shortcuts
 * share it; components read it with useSyncExternalStore.
 */
import type { ContractClient } from '../../../shared/contract.ts';
import type { ReviewView } from '../../../shared/contract/reviews.ts';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import {
  answerProblem,
  assignNoteIds,
  enqueue,
  type LocalChange,
  overlay,
  renameNotes,
  sendable,
  type ShownReview,
} from './review-changes.ts';

export const SEND_DELAY_MS = 250;
const RETRY_MS = [1000, 2000, 5000, 10_000];

export type ReviewsPort = Pick<ContractClient, 'reviews:change' | 'reviews:ofCall'>;
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type SaveState =
  /** Nothing waiting. */
  | 'saved'
  /** Changes on their way (or about to leave). */
  | 'saving'
  /** The server did not answer: kept here, sent again shortly. */
  | 'offline';

export interface ReviewSessionState {
  readonly loading: boolean;
  /** This reviewer's review as main last sent it (null before the first change). */
  readonly review: ReviewView | null;
  /** Other reviewers' reviews of the call. */
  readonly others: readonly ReviewView[];
  /** The review as shown: main's plus the changes not yet stored. */
  readonly shown: ShownReview;
  readonly save: SaveState;
  /** The last refusal or load failure, as main worded it. */
  readonly error: string | null;
  /** The form version this review is (or will be) scored with. */
  readonly formVersionId: string;
}

interface Saved {
  formVersionId: string;
  changes: LocalChange[];
}

export function unsavedKey(interactionId: string): string {
  return `tapedeck.review.unsaved.${interactionId}`;
}

export class ReviewSession {
  private state: ReviewSessionState;
  private queue: LocalChange[] = [];
  private inFlight: LocalChange[] = [];
  private noteIds = new Map<string, string>();
  /** The other way: a stored note made here keeps its temporary id as its key in lists. */
  private noteKeys = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  private disposed = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly interactionId: string,
    private readonly options: {
      client: ReviewsPort;
      reviewer: string;
      /** The form a new review starts with. */
      formVersionId: string;
      /** Finds a form version by id (null when this app does not have it). */
      formOf: (versionId: string) => FormVersion | null;
      storage: KeyValueStorage | null;
      onSaved?: (review: ReviewView) => void;
    },
  ) {
    this.state = {
      loading: true,
      review: null,
      others: [],
      shown: overlay(null, []),
      save: 'saved',
      error: null,
      formVersionId: options.formVersionId,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): ReviewSessionState => this.state;

  get form(): FormVersion | null {
    return this.options.formOf(this.state.formVersionId);
  }

  /** Reads the call's reviews, then sends what an earlier page left unsaved. */
  async load(): Promise<void> {
    const reply = await this.options.client['reviews:ofCall']({ interactionId: this.interactionId });
    if (this.disposed) return;
    if (!reply.ok) {
      this.update({ loading: false, error: reply.error.message });
      return;
    }
    const mine = reply.value.reviews.find((review) => review.reviewer === this.options.reviewer) ?? null;
    const others = reply.value.reviews.filter((review) => review !== mine);
    const saved = this.readSaved();
    let formVersionId = mine?.form_version_id ?? saved?.formVersionId ?? this.state.formVersionId;
    if (this.options.formOf(formVersionId) === null && mine === null)
      formVersionId = this.options.formVersionId;
    this.queue = [];
    for (const change of restorable(saved?.changes ?? [], mine)) this.queue = enqueue(this.queue, change);
    this.update({ loading: false, review: mine, others, formVersionId, error: null });
    this.refresh();
    if (this.queue.length > 0) this.schedule(0);
  }

  /** Another window or the team changed the review: read it again (keeping what is unsent). */
  async reload(): Promise<void> {
    if (this.inFlight.length > 0) return; // its answer is about to arrive anyway
    const reply = await this.options.client['reviews:ofCall']({ interactionId: this.interactionId });
    if (this.disposed || !reply.ok || this.inFlight.length > 0) return;
    const mine = reply.value.reviews.find((review) => review.reviewer === this.options.reviewer) ?? null;
    this.update({ review: mine, others: reply.value.reviews.filter((review) => review !== mine) });
    this.refresh();
  }

  /** Before the review exists, the reviewer may pick another form. */
  setFormVersion(versionId: string): void {
    if (this.state.review !== null || this.options.formOf(versionId) === null) return;
    this.update({ formVersionId: versionId });
    this.persist();
  }

  change(change: LocalChange, options: { now?: boolean } = {}): void {
    this.queue = enqueue(this.queue, change);
    this.update({ error: null });
    this.persist();
    this.refresh();
    this.schedule(options.now ? 0 : SEND_DELAY_MS);
  }

  /** Sends whatever waits now (Submit, closing the panel). */
  flush(): Promise<void> {
    this.clearTimer();
    return this.send();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.listeners.clear();
  }

  /** The id main gave a note made here, or its temporary id until main has answered. */
  noteIdOf(tempId: string): string {
    return this.noteIds.get(tempId) ?? tempId;
  }

  /** A stable key for a note (its element survives main giving it its id, and keeps the focus). */
  noteKey(noteId: string): string {
    return this.noteKeys.get(noteId) ?? noteId;
  }

  /** Why a change waits (an answer needing a comment), by question id. */
  heldAnswers(): Map<string, string> {
    const form = this.form;
    const held = new Map<string, string>();
    if (!form) return held;
    for (const change of sendable(form, this.queue, this.noteIds).held) {
      if (change.type === 'answer') {
        const message = answerProblem(form, change);
        if (message !== null) held.set(change.question_id, message);
      }
    }
    return held;
  }

  private schedule(delay: number): void {
    if (this.disposed) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.send();
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async send(): Promise<void> {
    const form = this.form;
    if (this.disposed || this.inFlight.length > 0 || form === null) return;
    const { send, wire, held } = sendable(form, this.queue, this.noteIds);
    if (wire.length === 0) {
      this.refresh();
      return;
    }
    this.inFlight = send;
    this.queue = held;
    this.refresh();
    const before = new Set((this.state.review?.notes ?? []).map((note) => note.note_id));
    const reply = await this.options.client['reviews:change']({
      interactionId: this.interactionId,
      formVersionId: this.state.formVersionId,
      changes: wire,
    });
    // Even after dispose (the panel moved on), the answer is recorded: what main stored leaves storage.
    const sent = this.inFlight;
    this.inFlight = [];
    if (reply.ok) {
      this.retries = 0;
      const adds = sent.filter((c): c is Extract<LocalChange, { type: 'add_note' }> => c.type === 'add_note');
      const ids = assignNoteIds(before, reply.value, adds);
      for (const [temp, real] of ids) {
        this.noteIds.set(temp, real);
        this.noteKeys.set(real, temp);
      }
      this.queue = renameNotes(this.queue, ids);
      this.update({ review: reply.value, formVersionId: reply.value.form_version_id });
      this.options.onSaved?.(reply.value);
    } else if (reply.error.code === 'internal') {
      // Not answered (the server is restarting, or gone): keep everything and try again.
      this.queue = [...sent, ...this.queue];
      this.persist();
      this.update({ save: 'offline', error: reply.error.message });
      const delay = RETRY_MS[Math.min(this.retries, RETRY_MS.length - 1)] ?? 10_000;
      this.retries += 1;
      this.schedule(delay);
      return;
    } else {
      // Refused: what was sent can never be stored as it is. Say why and show main's review again.
      this.update({ error: reply.error.message });
      await this.reload();
    }
    this.persist();
    this.refresh();
    if (sendable(form, this.queue, this.noteIds).wire.length > 0) this.schedule(0);
  }

  private refresh(): void {
    const pending = [...this.inFlight, ...this.queue];
    const form = this.form;
    const waiting = form ? sendable(form, this.queue, this.noteIds).wire.length > 0 : false;
    const save: SaveState =
      this.state.save === 'offline' && pending.length > 0
        ? 'offline'
        : this.inFlight.length > 0 || waiting
          ? 'saving'
          : 'saved';
    this.update({ shown: overlay(this.state.review, pending), save });
  }

  private readSaved(): Saved | null {
    try {
      const raw = this.options.storage?.getItem(unsavedKey(this.interactionId)) ?? null;
      if (raw === null) return null;
      const parsed = JSON.parse(raw) as Partial<Saved>;
      if (typeof parsed.formVersionId !== 'string' || !Array.isArray(parsed.changes)) return null;
      return { formVersionId: parsed.formVersionId, changes: parsed.changes };
    } catch {
      return null;
    }
  }

  private persist(): void {
    const storage = this.options.storage;
    if (!storage) return;
    const changes = [...this.inFlight, ...this.queue];
    try {
      if (changes.length === 0) storage.removeItem(unsavedKey(this.interactionId));
      else {
        const saved: Saved = { formVersionId: this.state.formVersionId, changes };
        storage.setItem(unsavedKey(this.interactionId), JSON.stringify(saved));
      }
    } catch {
      // Storage refused: the changes still go to main; only a crash before they arrive loses them.
    }
  }

  private update(patch: Partial<ReviewSessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

/**
 * Changes a page left unsaved, minus those main had in fact stored before the page went away: a
 * note it already has, a submit of a submitted review, a reopen of a draft.
 */
export function restorable(changes: readonly LocalChange[], review: ReviewView | null): LocalChange[] {
  const notes = [...(review?.notes ?? [])];
  return changes.filter((change) => {
    if (change.type === 'submit') return review?.status !== 'submitted';
    if (change.type === 'reopen') return review?.status === 'submitted';
    if (change.type === 'add_note') {
      const index = notes.findIndex(
        (note) =>
          note.at_ms === change.note.at_ms &&
          note.end_ms === change.note.end_ms &&
          note.lane === change.note.lane &&
          note.text === change.note.text &&
          note.question_id === change.note.question_id,
      );
      if (index >= 0) {
        notes.splice(index, 1);
        return false;
      }
    }
    return true;
  });
}
