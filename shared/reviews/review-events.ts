/**
 * A review is an append-only log of events, and its state a pure fold over them. Events are the
 * unit of sharing with the team (issue 12): each is written once by its author, read back on other
 * machines, and never edited (a correction is a new event). So the schema is strict, every event
 * carries its ULID, review, call, author and time, and the fold is deterministic: the same events in
 * any arrival order give the same state.
 */
import { z } from 'zod';
import { formIdSchema } from './form-schema.ts';
import { describeIssues } from './schema-errors.ts';
import { answerValueSchema, scoreSummarySchema, type Answer, type ScoreSummary } from './scoring.ts';

/** A ULID (Crockford base 32, upper case): its first 10 characters are the time, so ids sort by time. */
export const ulidSchema = z
  .string()
  .regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, { message: 'not a ULID (26 characters of Crockford base 32)' });

/** The reviewer's id is a folder name in the team's bucket: no slash, no control characters. */
export const reviewerIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^/\\\p{Cc}]+$/u, { message: 'a reviewer id has no slash, backslash or control characters' });

export const NOTE_LANES = ['agent', 'customer', 'both'] as const;
export type NoteLane = (typeof NOTE_LANES)[number];

export const TAG_MAX = 64;
export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(TAG_MAX)
  .regex(/^[^\p{Cc}]+$/u, { message: 'a tag has no control characters' });

/** A note pinned to a moment (or a range) of the call, in a speaker lane. */
export const noteSchema = z
  .strictObject({
    note_id: ulidSchema,
    /** Milliseconds from the start of the recording. */
    at_ms: z.number().int().min(0).max(86_400_000),
    /** The end of a range; null for a moment. */
    end_ms: z.number().int().min(0).max(86_400_000).nullable(),
    lane: z.enum(NOTE_LANES),
    text: z.string().max(10_000),
    /** The question this note is evidence for. */
    question_id: formIdSchema.nullable(),
  })
  .refine((note) => note.end_ms === null || note.end_ms >= note.at_ms, {
    path: ['end_ms'],
    message: 'must be at or after at_ms',
  });
export type ReviewNoteInput = z.output<typeof noteSchema>;

const envelope = {
  event_id: ulidSchema,
  review_id: ulidSchema,
  interaction_id: z.string().min(1).max(200),
  reviewer_id: reviewerIdSchema,
  /** When the author made it, UTC (`2025-08-08T12:00:00.000Z`): sorts as text. */
  at: z.iso.datetime({ message: 'a UTC time like 2025-08-08T12:00:00.000Z' }),
};

export const reviewEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...envelope, type: z.literal('review_started'), form_version_id: formIdSchema }),
  /** `answer: null` clears the question's answer. */
  z.strictObject({
    ...envelope,
    type: z.literal('answer_set'),
    question_id: formIdSchema,
    answer: answerValueSchema.nullable(),
  }),
  z.strictObject({ ...envelope, type: z.literal('note_added'), note: noteSchema }),
  /** Replaces the whole note (the last edit by event order wins). */
  z.strictObject({ ...envelope, type: z.literal('note_edited'), note: noteSchema }),
  z.strictObject({ ...envelope, type: z.literal('note_deleted'), note_id: ulidSchema }),
  /** The add's event_id identifies this add of the tag. */
  z.strictObject({ ...envelope, type: z.literal('tag_added'), tag: tagSchema }),
  /** Removes only the adds of the tag its author had seen (`removes`: their event ids). */
  z.strictObject({
    ...envelope,
    type: z.literal('tag_removed'),
    tag: tagSchema,
    removes: z.array(ulidSchema).min(1).max(1000),
  }),
  /** Freezes the score as the author saw it. */
  z.strictObject({ ...envelope, type: z.literal('review_submitted'), score: scoreSummarySchema }),
  /** Starts the next revision as a draft; the submitted one stays in the history. */
  z.strictObject({ ...envelope, type: z.literal('review_reopened') }),
]);

export type ReviewEvent = z.output<typeof reviewEventSchema>;
export type ReviewEventType = ReviewEvent['type'];
export type ReviewEventOf<T extends ReviewEventType> = Extract<ReviewEvent, { type: T }>;
type EnvelopeKey = keyof typeof envelope | 'type';
/** What an event of type T says beyond the envelope. */
export type ReviewEventBody<T extends ReviewEventType> = Omit<ReviewEventOf<T>, EnvelopeKey>;

export const REVIEW_EVENT_TYPES = [
  'review_started',
  'answer_set',
  'note_added',
  'note_edited',
  'note_deleted',
  'tag_added',
  'tag_removed',
  'review_submitted',
  'review_reopened',
] as const satisfies readonly ReviewEventType[];

export type EventParseResult = { ok: true; event: ReviewEvent } | { ok: false; error: string };

/** Reads an event from parsed JSON (from another machine, or the catalog); the error names the bad field. */
export function parseReviewEvent(json: unknown): EventParseResult {
  const result = reviewEventSchema.safeParse(json, { reportInput: true });
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, error: describeIssues(result.error, '(the event)') };
}

// ---- making events --------------------------------------------------------------------------------

/** Whose review an event belongs to, and the ports that make ids and times. */
export interface ReviewEventContext {
  readonly review_id: string;
  readonly interaction_id: string;
  readonly reviewer_id: string;
  /** A ULID, monotonic within the process (ulid's monotonicFactory). */
  readonly newId: () => string;
  readonly now: () => Date;
}

export function reviewEvent<T extends ReviewEventType>(
  context: ReviewEventContext,
  type: T,
  body: ReviewEventBody<T>,
): ReviewEventOf<T> {
  return {
    event_id: context.newId(),
    review_id: context.review_id,
    interaction_id: context.interaction_id,
    reviewer_id: context.reviewer_id,
    at: context.now().toISOString(),
    type,
    ...body,
  } as ReviewEventOf<T>;
}

/** A new review of a call: its id and its first event. */
export function startReview(
  ports: Pick<ReviewEventContext, 'newId' | 'now'>,
  start: { interaction_id: string; reviewer_id: string; form_version_id: string },
): { context: ReviewEventContext; event: ReviewEventOf<'review_started'> } {
  const context: ReviewEventContext = {
    ...ports,
    review_id: ports.newId(),
    interaction_id: start.interaction_id,
    reviewer_id: start.reviewer_id,
  };
  return {
    context,
    event: reviewEvent(context, 'review_started', { form_version_id: start.form_version_id }),
  };
}

/** The event that removes a tag as this state shows it (null when the tag is not on the review). */
export function removeTagEvent(
  context: ReviewEventContext,
  state: Pick<ReviewState, 'tag_adds'>,
  tag: string,
): ReviewEventOf<'tag_removed'> | null {
  const removes = state.tag_adds[tag];
  if (!removes || removes.length === 0) return null;
  return reviewEvent(context, 'tag_removed', { tag, removes: [...removes] });
}

// ---- the fold -------------------------------------------------------------------------------------

export interface ReviewNote extends ReviewNoteInput {
  readonly created_at: string;
  readonly updated_at: string;
}

export interface SubmittedRevision {
  readonly revision: number;
  readonly submitted_at: string;
  readonly score: ScoreSummary;
  /** The answers as submitted. */
  readonly answers: readonly Answer[];
}

export interface ReviewState {
  readonly review_id: string;
  readonly interaction_id: string;
  /** The author's reviewer id; only the author's events change the review. */
  readonly reviewer: string;
  readonly form_version_id: string;
  /** 1, and one more after each reopen. */
  readonly revision: number;
  readonly status: 'draft' | 'submitted';
  /** One per answered question, in the order first answered. */
  readonly answers: readonly Answer[];
  /** By time in the call. */
  readonly notes: readonly ReviewNote[];
  /** Sorted. */
  readonly tags: readonly string[];
  /** Each present tag's live add-event ids: what a tag_removed must name to remove it. */
  readonly tag_adds: Readonly<Record<string, readonly string[]>>;
  readonly created_at: string;
  /** Of the current revision; null while it is a draft. */
  readonly submitted_at: string | null;
  /** The frozen score of the current revision; null while it is a draft. */
  readonly submitted_score: ScoreSummary | null;
  /** Every submitted revision, oldest first. */
  readonly history: readonly SubmittedRevision[];
  readonly updated_at: string;
  readonly last_event_id: string;
  /** Events that changed nothing, and why (never dropped silently). */
  readonly ignored: readonly { event_id: string; reason: string }[];
}

function byEventId(a: ReviewEvent, b: ReviewEvent): number {
  return a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0;
}

/**
 * The state of one review from its events, in any order (they are sorted by event_id, and an event
 * seen twice counts once). null until its review_started event is among them. Throws if the events
 * are of several reviews (see foldReviews).
 */
export function foldReview(events: readonly ReviewEvent[]): ReviewState | null {
  const ids = new Set(events.map((event) => event.review_id));
  if (ids.size > 1) throw new Error(`foldReview: events of ${ids.size} reviews given; use foldReviews`);
  const unique = [...new Map(events.map((event) => [event.event_id, event])).values()].sort(byEventId);
  const start = unique.find(
    (event): event is ReviewEventOf<'review_started'> => event.type === 'review_started',
  );
  if (!start) return null;

  const answers = new Map<string, Answer>();
  const notes = new Map<string, ReviewNote>();
  const deletedNotes = new Set<string>();
  const history: SubmittedRevision[] = [];
  const ignored: { event_id: string; reason: string }[] = [];
  let revision = 1;
  let status: 'draft' | 'submitted' = 'draft';
  let submitted: { at: string; score: ScoreSummary } | null = null;

  // Observed-remove set: an add survives unless a remove named its event id, whatever the order.
  const removedAdds = new Set<string>();
  for (const event of unique) {
    if (
      event.type === 'tag_removed' &&
      event.reviewer_id === start.reviewer_id &&
      event.interaction_id === start.interaction_id
    ) {
      for (const id of event.removes) removedAdds.add(tagAddKey(event.tag, id));
    }
  }
  const tagAdds = new Map<string, string[]>();

  const ignore = (event: ReviewEvent, reason: string) => ignored.push({ event_id: event.event_id, reason });

  for (const event of unique) {
    if (event.reviewer_id !== start.reviewer_id || event.interaction_id !== start.interaction_id) {
      ignore(
        event,
        `not by the review's author (${start.reviewer_id}) on its call (${start.interaction_id})`,
      );
      continue;
    }
    switch (event.type) {
      case 'review_started':
        if (event !== start) ignore(event, 'the review was already started (its form version never changes)');
        break;
      case 'answer_set':
        if (status === 'submitted') {
          ignore(event, `revision ${revision} is submitted; reopen it to change an answer`);
        } else if (event.answer === null) {
          answers.delete(event.question_id);
        } else {
          // A Map keeps the order in which questions were first answered.
          answers.set(event.question_id, { question_id: event.question_id, ...event.answer });
        }
        break;
      case 'note_added':
        if (notes.has(event.note.note_id) || deletedNotes.has(event.note.note_id)) {
          ignore(event, `note ${event.note.note_id} already exists`);
        } else {
          notes.set(event.note.note_id, { ...event.note, created_at: event.at, updated_at: event.at });
        }
        break;
      case 'note_edited': {
        const note = notes.get(event.note.note_id);
        if (!note) ignore(event, `note ${event.note.note_id} does not exist (or was deleted)`);
        else notes.set(note.note_id, { ...event.note, created_at: note.created_at, updated_at: event.at });
        break;
      }
      case 'note_deleted':
        if (!notes.delete(event.note_id))
          ignore(event, `note ${event.note_id} does not exist (or was deleted)`);
        deletedNotes.add(event.note_id);
        break;
      case 'tag_added':
        if (!removedAdds.has(tagAddKey(event.tag, event.event_id))) {
          const adds = tagAdds.get(event.tag) ?? [];
          adds.push(event.event_id);
          tagAdds.set(event.tag, adds);
        }
        break;
      case 'tag_removed':
        // Applied above, before the adds; nothing else to do in order.
        break;
      case 'review_submitted':
        if (status === 'submitted') {
          ignore(event, `revision ${revision} is already submitted`);
        } else {
          status = 'submitted';
          submitted = { at: event.at, score: event.score };
          history.push({
            revision,
            submitted_at: event.at,
            score: event.score,
            answers: [...answers.values()],
          });
        }
        break;
      case 'review_reopened':
        if (status === 'draft') {
          ignore(event, `revision ${revision} is a draft already`);
        } else {
          status = 'draft';
          submitted = null;
          revision += 1;
        }
        break;
    }
  }

  const last = unique.at(-1) ?? start;
  const tags = [...tagAdds.keys()].sort();
  return {
    review_id: start.review_id,
    interaction_id: start.interaction_id,
    reviewer: start.reviewer_id,
    form_version_id: start.form_version_id,
    revision,
    status,
    answers: [...answers.values()],
    notes: [...notes.values()].sort((a, b) => a.at_ms - b.at_ms || (a.note_id < b.note_id ? -1 : 1)),
    tags,
    tag_adds: Object.fromEntries(tags.map((tag) => [tag, tagAdds.get(tag) ?? []])),
    created_at: start.at,
    submitted_at: submitted?.at ?? null,
    submitted_score: submitted?.score ?? null,
    history,
    updated_at: latestTime(unique),
    last_event_id: last.event_id,
    ignored,
  };
}

/** A remove names adds of its own tag only. */
function tagAddKey(tag: string, addEventId: string): string {
  return `${tag}\u0000${addEventId}`;
}

function latestTime(events: readonly ReviewEvent[]): string {
  return events.reduce((latest, event) => (event.at > latest ? event.at : latest), '');
}

/** The states of every review among the events (reviews not yet started are left out), by review id. */
export function foldReviews(events: readonly ReviewEvent[]): ReviewState[] {
  const byReview = new Map<string, ReviewEvent[]>();
  for (const event of events) {
    const list = byReview.get(event.review_id) ?? [];
    list.push(event);
    byReview.set(event.review_id, list);
  }
  return [...byReview.keys()].sort().flatMap((id) => {
    const state = foldReview(byReview.get(id) ?? []);
    return state ? [state] : [];
  });
}
