/** How calibration numbers read in the views (renderer/src/calibration/calibration-text.ts). */
import { describe, expect, it } from 'vitest';
import {
  answerCellText,
  calibrationTable,
  differenceText,
  leaningText,
  spreadText,
} from '../../../../renderer/src/calibration/calibration-text.ts';
import type { CalibrationQuestion } from '../../../../shared/contract/calibration.ts';

const question = (change: Partial<CalibrationQuestion> = {}): CalibrationQuestion => ({
  question_id: 'resolved',
  text: 'Resolved',
  section: 'Call',
  max_points: 2,
  scored: true,
  answers: [],
  spread: 50,
  agree: false,
  ...change,
});

describe('calibration text', () => {
  it('signs a score difference and says which way it leans', () => {
    expect(differenceText(12.5)).toBe('+12.5 pts');
    expect(differenceText(-3)).toBe('−3 pts');
    expect(differenceText(0)).toBe('0 pts');
    expect(differenceText(null)).toBe('—');
    expect(leaningText(12.5)).toBe('more lenient');
    expect(leaningText(-0.5)).toBe('stricter');
    expect(leaningText(0)).toBe('scores like the reference');
    expect(leaningText(null)).toBe('nothing to compare');
  });

  it('shows an answer with its points of the maximum, free text and N/A as given', () => {
    const answer = { reviewer: 'bob', answer: 'Partly', points: 1, percent: 50 };
    expect(answerCellText(question(), answer)).toBe('Partly · 1/2');
    expect(answerCellText(question(), { ...answer, answer: 'N/A', points: null, percent: null })).toBe('N/A');
    expect(answerCellText(question({ scored: false }), { ...answer, answer: 'Kind', points: null })).toBe(
      'Kind',
    );
    expect(answerCellText(question(), undefined)).toBe('—');
    expect(spreadText(question())).toBe('50 % · differ');
    expect(spreadText(question({ spread: null, agree: true }))).toBe('agree');
    expect(spreadText(question({ scored: false, spread: null, agree: null }))).toBe('');
  });

  it('turns a report into the table under its charts, a reviewer without calls in common read as nothing to compare', () => {
    const table = calibrationTable({
      from: 'a',
      to: 'b',
      form_id: null,
      reference: 'alice',
      reference_calls: 2,
      reviewers: ['alice', 'bob', 'dave'],
      rows: [
        {
          reviewer: 'bob',
          calls: 2,
          same_form_calls: 2,
          questions_compared: 8,
          agreement: 75,
          mean_difference: 12.5,
          mean_absolute_difference: 12.5,
        },
        {
          reviewer: 'dave',
          calls: 0,
          same_form_calls: 0,
          questions_compared: 0,
          agreement: null,
          mean_difference: null,
          mean_absolute_difference: null,
        },
      ],
    });
    expect(table.rows).toEqual([
      ['bob', '2', '2', '8', '75 %', '+12.5 pts', '12.5 pts', 'more lenient'],
      ['dave', '0', '0', '0', '—', '—', '—', 'nothing to compare'],
    ]);
  });
});
