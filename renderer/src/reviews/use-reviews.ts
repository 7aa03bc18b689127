/**
 * Everything the window needs for reviewing, in one hook: the forms and who the reviewer is, the
 * review panel (open or not, and the session of the call it shows), notes pinned to the player's
 * playhead, the list's review column, "Next to review" and the sampled queue, and which review
 * dialog is open. App composes it; the panel, markers, filters and dialogs read it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import type { CallReviewSummary, SamplePlan } from '../../../shared/contract/reviews.ts';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import type { CallPageStore } from '../calls/call-page-store.ts';
import { type CallFilter, emptyFilter } from '../calls/call-query.ts';
import type { Selection } from '../calls/use-selection.ts';
import { client } from '../client/tapedeck-client.ts';
import type { AudioController } from '../player/audio-controller.ts';
import { storedPreference } from '../preferences/stored-preference.ts';
import { useNotify } from '../ui/notices.tsx';
import { TEMP_NOTE_PREFIX, type NoteInput } from './review-changes.ts';
import { firstUnreviewed, nextInQueue, parseQueue, type ReviewQueue, scanOrder } from './review-queue.ts';
import { ReviewSession, type ReviewSessionState } from './review-session.ts';

/** The form picked last time (its form_id): a new review starts with its newest version. */
export const chosenForm = storedPreference<string | null>('tapedeck.review.form', (stored) => stored, String);
/** The panel stays open (or closed) across reloads. */
const panelOpenPreference = storedPreference('tapedeck.review.open', (stored) => stored === 'true');
const queuePreference = storedPreference<ReviewQueue | null>('tapedeck.review.queue', parseQueue, (queue) =>
  JSON.stringify(queue),
);

/** How many rows J looks through before saying there is nothing left to review. */
const SCAN_LIMIT = 20_000;
const SCAN_CHUNK = 200;

export type ReviewDialog = 'reports' | 'calibration' | 'sample' | 'forms' | null;

export type NotePrefill = Pick<NoteInput, 'at_ms' | 'lane' | 'text'>;

export interface Reviews {
  readonly forms: readonly FormVersion[];
  readonly reviewer: string | null;
  readonly formOf: (versionId: string) => FormVersion | null;
  readonly reloadForms: () => Promise<void>;
  readonly panelOpen: boolean;
  readonly openPanel: () => void;
  readonly closePanel: () => void;
  /** The call the panel reviews (the selected one), and its session. */
  readonly call: CallRow | null;
  readonly session: ReviewSession | null;
  /** Bumped when a question should take the focus (R). */
  readonly focusTick: number;
  /** The note whose text should take the focus (just added with M). */
  readonly focusNote: string | null;
  /** `prefill`: a note that starts written (a quoted transcript turn: its words, time and lane). */
  readonly addNote: (range?: { start: number; end: number }, prefill?: NotePrefill) => void;
  /** Seeks the player to a note of the reviewed call and plays. */
  readonly playAt: (seconds: number) => void;
  readonly submit: () => void;
  readonly summaries: ReadonlyMap<string, CallReviewSummary | null>;
  readonly onRowsShown: (ids: readonly string[]) => void;
  readonly nextToReview: () => Promise<void>;
  readonly queue: ReviewQueue | null;
  readonly startQueue: (plan: SamplePlan, ids: readonly string[], considered: number) => void;
  readonly clearQueue: () => void;
  readonly dialog: ReviewDialog;
  readonly setDialog: (dialog: ReviewDialog) => void;
  readonly shortcuts: {
    readonly openReview: () => void;
    readonly addNote: () => void;
    readonly addRangeNote: () => void;
    readonly nextToReview: () => void;
    readonly submitReview: () => void;
  };
}

let tempIds = 0;
function tempNoteId(): string {
  tempIds += 1;
  return `${TEMP_NOTE_PREFIX}${Date.now().toString(36)}-${tempIds}`;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function useReviews(app: {
  controller: AudioController;
  selection: Selection;
  store: CallPageStore;
  total: number;
  setFilter: (filter: CallFilter) => void;
}): Reviews {
  const { controller, selection, store, total, setFilter } = app;
  const notify = useNotify();
  const [forms, setForms] = useState<readonly FormVersion[]>([]);
  const [reviewer, setReviewer] = useState<string | null>(null);
  const [panelOpen, setPanelOpen] = panelOpenPreference.use();
  const [chosen] = chosenForm.use();
  const [queue, setQueueState] = queuePreference.use();
  const [session, setSession] = useState<ReviewSession | null>(null);
  const [focusTick, setFocusTick] = useState(0);
  const [focusNote, setFocusNote] = useState<string | null>(null);
  const [dialog, setDialog] = useState<ReviewDialog>(null);
  const [summaries, setSummaries] = useState<ReadonlyMap<string, CallReviewSummary | null>>(new Map());
  /** Versions seen in this page, newest or not: a review keeps the version it was started with. */
  const versions = useRef(new Map<string, FormVersion>());
  /** Where M was last pressed, per call: Shift+M makes a range from there. */
  const lastMark = useRef<{ interactionId: string; tempId: string; atMs: number } | null>(null);
  const call = panelOpen ? selection.selected : null;
  const callId = call?.interaction_id ?? null;

  const reloadForms = useCallback(async () => {
    const reply = await client['reviews:forms']({});
    if (!reply.ok) {
      notify('error', `The review forms could not be read: ${reply.error.message}`, {
        group: 'review-forms',
      });
      return;
    }
    for (const form of reply.value.forms) versions.current.set(form.version_id, form);
    setForms(reply.value.forms);
    setReviewer(reply.value.reviewer);
  }, [notify]);

  useEffect(() => {
    void reloadForms();
  }, [reloadForms]);

  const formOf = useCallback((versionId: string) => versions.current.get(versionId) ?? null, []);
  const startForm = useMemo(() => {
    const form = forms.find((candidate) => candidate.form_id === chosen) ?? forms[0];
    return form?.version_id ?? null;
  }, [forms, chosen]);

  // ---- the list's review column ------------------------------------------------------------------
  const asked = useRef(new Set<string>());
  const fetchSummaries = useCallback(async (ids: readonly string[]) => {
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      const reply = await client['reviews:summaries']({ interactionIds: batch });
      if (!reply.ok) {
        for (const id of batch) asked.current.delete(id);
        return;
      }
      const byId = new Map(reply.value.summaries.map((summary) => [summary.interaction_id, summary]));
      setSummaries((previous) => {
        const next = new Map(previous);
        for (const id of batch) next.set(id, byId.get(id) ?? null);
        return next;
      });
    }
  }, []);

  const onRowsShown = useCallback(
    (ids: readonly string[]) => {
      const missing = ids.filter((id) => !asked.current.has(id));
      if (missing.length === 0) return;
      for (const id of missing) asked.current.add(id);
      void fetchSummaries(missing);
    },
    [fetchSummaries],
  );

  // A review changed (here, in another window, or pulled from the team): its row and panel follow.
  const sessionRef = useRef<ReviewSession | null>(null);
  useEffect(() => {
    sessionRef.current = session;
  }, [session]);
  useEffect(
    () =>
      client.on('reviews:changed', ({ interactionId }) => {
        if (asked.current.has(interactionId)) void fetchSummaries([interactionId]);
        const current = sessionRef.current;
        if (current?.interactionId === interactionId) void current.reload();
      }),
    [fetchSummaries],
  );
  // Another library: every known summary is of the old one.
  useEffect(
    () =>
      client.on('library:changed', () => {
        asked.current.clear();
        setSummaries(new Map());
      }),
    [],
  );

  // ---- the session of the reviewed call ------------------------------------------------------------
  useEffect(() => {
    if (callId === null || reviewer === null || startForm === null) {
      setSession(null);
      return;
    }
    const created = new ReviewSession(callId, {
      client,
      reviewer,
      formVersionId: startForm,
      formOf,
      storage: storage(),
      onSaved: () => void fetchSummaries([callId]),
    });
    setSession(created);
    void created.load();
    return () => {
      void created.flush();
      created.dispose();
    };
    // startForm is read once: a new choice of form goes through session.setFormVersion.
  }, [callId, reviewer, formOf, fetchSummaries, startForm === null]);

  const sessionState = useSessionState(session);

  // ---- actions -------------------------------------------------------------------------------------
  const openPanel = useCallback(() => {
    if (selection.selected === null) {
      notify('info', 'Select a call to review first.', { group: 'review' });
      return;
    }
    setPanelOpen(true);
    setFocusTick((tick) => tick + 1);
  }, [selection.selected, notify, setPanelOpen]);

  const closePanel = useCallback(() => {
    setPanelOpen(false);
    document.querySelector<HTMLElement>('[role="grid"]')?.focus();
  }, [setPanelOpen]);

  /** Milliseconds of the playhead in the reviewed call; 0 when the player holds another call. */
  const playheadMs = useCallback(
    (interactionId: string) =>
      controller.getState().call?.interaction_id === interactionId
        ? Math.round(controller.currentTime * 1000)
        : 0,
    [controller],
  );

  const addNote = useCallback(
    (range?: { start: number; end: number }, prefill?: NotePrefill) => {
      if (session === null || sessionState?.loading !== false) {
        notify('info', 'Open the review (R) of a call to add notes to it.', { group: 'review' });
        return;
      }
      if (sessionState.shown.status === 'submitted') {
        notify('info', 'This review is submitted: reopen it to add notes.', { group: 'review' });
        return;
      }
      const tempId = tempNoteId();
      const note: NoteInput = range
        ? {
            at_ms: Math.round(Math.min(range.start, range.end) * 1000),
            end_ms: Math.round(Math.max(range.start, range.end) * 1000),
            lane: 'both',
            text: '',
            question_id: null,
          }
        : {
            at_ms: playheadMs(session.interactionId),
            end_ms: null,
            lane: 'both',
            text: '',
            question_id: null,
            ...prefill,
          };
      // The note goes at once; the playhead, the speed and playing or not are left alone.
      session.change({ type: 'add_note', temp_id: tempId, note }, { now: true });
      if (!range) lastMark.current = { interactionId: session.interactionId, tempId, atMs: note.at_ms };
      setFocusNote(tempId);
    },
    [session, sessionState, notify, playheadMs],
  );

  const addRangeNote = useCallback(() => {
    if (session === null || sessionState?.loading !== false) {
      notify('info', 'Open the review (R) of a call to add notes to it.', { group: 'review' });
      return;
    }
    const mark = lastMark.current;
    const now = playheadMs(session.interactionId);
    if (mark === null || mark.interactionId !== session.interactionId) {
      notify(
        'info',
        'Press M where the range starts (or drag across the waveform), then Shift+M where it ends.',
        {
          group: 'review',
        },
      );
      return;
    }
    const [start, end] = mark.atMs <= now ? [mark.atMs, now] : [now, mark.atMs];
    // The note M made becomes the range (as long as it is still a moment), else a new note is made.
    const made = sessionState.shown.notes.find(
      (note) => note.note_id === mark.tempId || note.note_id === resolved(session, mark.tempId),
    );
    if (made && made.end_ms === null && made.at_ms === mark.atMs) {
      const { note_id: noteId, unsaved: _unsaved, ...rest } = made;
      session.change(
        { type: 'edit_note', note_id: noteId, note: { ...rest, at_ms: start, end_ms: end } },
        { now: true },
      );
      setFocusNote(noteId);
    } else {
      addNote({ start: start / 1000, end: end / 1000 });
    }
    lastMark.current = null;
  }, [session, sessionState, notify, playheadMs, addNote]);

  const playAt = useCallback(
    (seconds: number) => {
      if (call === null) return;
      const inPlayer = controller.getState().call?.interaction_id === call.interaction_id;
      if (!inPlayer && !controller.play(call)) return;
      controller.seek(seconds);
      if (controller.audio.paused) controller.toggle();
    },
    [call, controller],
  );

  const submit = useCallback(() => {
    if (session === null || sessionState === null || sessionState.loading) return;
    const form = session.form;
    if (form === null) return;
    if (sessionState.shown.status === 'submitted') {
      notify('info', 'This review is already submitted. Reopen it to change it.', { group: 'review' });
      return;
    }
    const held = session.heldAnswers();
    if (held.size > 0) {
      notify('error', [...held.values()][0] ?? 'An answer needs a comment.', { group: 'review' });
      return;
    }
    const open = openQuestions(form, sessionState);
    if (open.length > 0) {
      notify('error', `Answer every question before submitting: ${open.join('; ')}.`, { group: 'review' });
      return;
    }
    session.change({ type: 'submit' }, { now: true });
  }, [session, sessionState, notify]);

  // ---- next to review ------------------------------------------------------------------------------
  const reviewedAmong = useCallback(
    async (ids: readonly string[]): Promise<Set<string> | null> => {
      const reviewed = new Set<string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const reply = await client['reviews:summaries']({ interactionIds: ids.slice(i, i + 1000) });
        if (!reply.ok) {
          notify('error', reply.error.message, { group: 'next-to-review' });
          return null;
        }
        for (const summary of reply.value.summaries) reviewed.add(summary.interaction_id);
      }
      return reviewed;
    },
    [notify],
  );

  const nextToReview = useCallback(async () => {
    if (queue !== null) {
      const reviewed = await reviewedAmong(queue.interactionIds);
      if (reviewed === null) return;
      const next = nextInQueue(queue, reviewed, selection.selected?.interaction_id ?? null);
      if (next === null) {
        notify('info', 'Every call in the review queue has a review.', { group: 'next-to-review' });
        return;
      }
      // The queue's calls may be anywhere in the library: the list shows the one to review.
      setFilter({ ...emptyFilter, search: next });
      setPanelOpen(true);
      setFocusTick((tick) => tick + 1);
      return;
    }
    const order = scanOrder(selection.activeIndex, total).slice(0, SCAN_LIMIT);
    for (let i = 0; i < order.length; i += SCAN_CHUNK) {
      const indexes = order.slice(i, i + SCAN_CHUNK);
      const rows = await Promise.all(
        indexes.map(async (index) => ({ index, row: await store.loadRow(index) })),
      );
      const ids = rows.flatMap(({ row }) => (row && row.recording !== null ? [row.interaction_id] : []));
      const reviewed = await reviewedAmong(ids);
      if (reviewed === null) return;
      const found = firstUnreviewed(rows, reviewed);
      if (found !== null) {
        selection.select(found);
        setPanelOpen(true);
        setFocusTick((tick) => tick + 1);
        return;
      }
    }
    notify('info', 'No call with a recording is left to review in this list.', { group: 'next-to-review' });
  }, [queue, reviewedAmong, selection, total, store, notify, setFilter, setPanelOpen]);

  const startQueue = useCallback(
    (plan: SamplePlan, ids: readonly string[], considered: number) =>
      setQueueState({ plan, interactionIds: [...ids], considered, createdAt: new Date().toISOString() }),
    [setQueueState],
  );
  const clearQueue = useCallback(() => setQueueState(null), [setQueueState]);

  const shortcuts = useMemo(
    () => ({
      openReview: () => {
        if (panelOpen && selection.selected !== null) setFocusTick((tick) => tick + 1);
        else openPanel();
      },
      addNote: () => addNote(),
      addRangeNote,
      nextToReview: () => void nextToReview(),
      submitReview: submit,
    }),
    [panelOpen, selection.selected, openPanel, addNote, addRangeNote, nextToReview, submit],
  );

  return {
    forms,
    reviewer,
    formOf,
    reloadForms,
    panelOpen,
    openPanel,
    closePanel,
    call,
    session,
    focusTick,
    focusNote,
    addNote,
    playAt,
    submit,
    summaries,
    onRowsShown,
    nextToReview,
    queue,
    startQueue,
    clearQueue,
    dialog,
    setDialog,
    shortcuts,
  };
}

/** The note id main gave a note made here (or the temporary id while it has none). */
function resolved(session: ReviewSession, tempId: string): string {
  return session.noteIdOf(tempId);
}

/** "Tone", … : the questions that still need an answer before submitting. */
export function openQuestions(form: FormVersion, state: ReviewSessionState): string[] {
  const open: string[] = [];
  for (const section of form.sections) {
    for (const question of section.questions) {
      const needed = question.type !== 'free_text' || question.required;
      if (needed && !state.shown.answers.has(question.id)) open.push(question.text);
    }
  }
  return open;
}

const NO_SESSION = () => () => {};
export function useSessionState(session: ReviewSession | null): ReviewSessionState | null {
  return useSyncExternalStore(session?.subscribe ?? NO_SESSION, session ? session.getState : () => null);
}
