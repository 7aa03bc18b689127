/**
 * The numbers behind each chart of the reports, as a table a person reads (and a test checks):
 * headed columns and formatted cells. Pure.
 */
import type { ReviewReport } from '../../../shared/contract/reviews.ts';
import { humanize } from '../calls/call-format.ts';

export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function percent(value: number | null, digits = 1): string {
  return value === null ? '—' : `${value.toLocaleString('en-US', { maximumFractionDigits: digits })} %`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function reportTables(report: ReviewReport): {
  averageByWeek: ReportTable;
  passRateByOutcome: ReportTable;
  mostMissed: ReportTable;
  autoFails: ReportTable;
  byReviewer: ReportTable;
} {
  return {
    averageByWeek: {
      title: 'Average score by week',
      columns: ['Week', 'Reviews', 'Average'],
      rows: report.averageByWeek.map((row) => [row.week, count(row.reviews), percent(row.average)]),
    },
    passRateByOutcome: {
      title: 'Pass rate by outcome',
      columns: ['Outcome', 'Reviews', 'Passed', 'Pass rate'],
      rows: report.passRateByOutcome.map((row) => [
        humanize(row.outcome),
        count(row.reviews),
        count(row.passed),
        percent(row.passRate),
      ]),
    },
    mostMissed: {
      title: 'Questions most often missed',
      columns: ['Question', 'Answered', 'Missed', 'Missed share'],
      rows: report.mostMissed.map((row) => [
        row.question,
        count(row.answered),
        count(row.missed),
        percent(row.answered > 0 ? (100 * row.missed) / row.answered : null),
      ]),
    },
    autoFails: {
      title: 'Auto-fails',
      columns: ['Reason', 'Reviews'],
      rows: report.autoFails.map((row) => [row.reason, count(row.count)]),
    },
    byReviewer: {
      title: 'Reviews per reviewer',
      columns: ['Reviewer', 'Reviews', 'Average'],
      rows: report.byReviewer.map((row) => [row.reviewer, count(row.reviews), percent(row.average)]),
    },
  };
}
