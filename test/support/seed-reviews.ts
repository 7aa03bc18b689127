/**
 * Test-only: reviews by other reviewers, as the team's sync would bring them — review events
 * appended straight into a catalog (another connection to the same SQLite file is fine: WAL), so a
 * running app or demo server lists them as it would pulled ones.
 */
import { join } from 'node:path';
import { openCatalog } from '../../electron/core/catalog/open-catalog.ts';
import { demoDataDir } from '../../electron/core/library/demo-data-dir.ts';
import { reviewIdSource } from '../../electron/core/reviews/review-ids.ts';
import { ReviewStore } from '../../electron/core/reviews/review-store.ts';
import type { FormVersion } from '../../shared/reviews/form-schema.ts';
import { reviewEvent, startReview, type ReviewEvent } from '../../shared/reviews/review-events.ts';
import { scoreReview, scoreSummary, type Answer } from '../../shared/reviews/scoring.ts';

/** The events of one submitted review: started, each answer set, submitted with its score. */
export function submittedReviewEvents(review: {
  interactionId: string;
  reviewer: string;
  form: FormVersion;
  answers: readonly Answer[];
  /** When it was made and submitted (UTC). */
  at: Date;
}): ReviewEvent[] {
  let clock = review.at.getTime() - 60_000;
  const now = () => new Date((clock += 1000));
  const ports = { newId: reviewIdSource(now), now };
  const { context, event } = startReview(ports, {
    interaction_id: review.interactionId,
    reviewer_id: review.reviewer,
    form_version_id: review.form.version_id,
  });
  const events: ReviewEvent[] = [event];
  for (const { question_id, ...answer } of review.answers) {
    events.push(reviewEvent(context, 'answer_set', { question_id, answer }));
  }
  clock = review.at.getTime() - 1000;
  events.push(
    reviewEvent(context, 'review_submitted', {
      score: scoreSummary(scoreReview(review.form, review.answers)),
    }),
  );
  return events;
}

/** Appends events into the catalog file (publishing `forms` first, as a pull of the team's forms would). */
export function appendToCatalog(
  catalogFile: string,
  events: readonly ReviewEvent[],
  forms: readonly FormVersion[] = [],
): void {
  const db = openCatalog(catalogFile);
  try {
    const store = new ReviewStore(db);
    for (const form of forms) store.publishFormVersion(form);
    store.appendEvents(events);
  } finally {
    db.close();
  }
}

/** The demo library's catalog in a data folder (what `npm run demo` and `demo: 'force'` open). */
export function demoCatalogFile(dataDir: string): string {
  return join(demoDataDir(dataDir), 'catalog.sqlite');
}
