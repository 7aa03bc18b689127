import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedForms } from '../../../../electron/core/reviews/shipped-forms.ts';
import { formQuestions, parseFormVersion, type FormVersion } from '../../../../shared/reviews/form-schema.ts';
import { scoreReview, validateAnswers, type Answer } from '../../../../shared/reviews/scoring.ts';

const FORMS_DIR = join(import.meta.dirname, '../../../../electron/core/reviews/forms');

function collections(): FormVersion {
  return shippedForms().find((form) => form.form_id === 'outbound-collections')!;
}

/** Every scored question of the collections form answered at its best. */
function best(): Answer[] {
  return [
    { question_id: 'right_party_check', option_id: 'yes' },
    { question_id: 'required_disclosure', option_id: 'yes' },
    { question_id: 'no_pressure', option_id: 'none' },
    { question_id: 'balance_and_options', option_id: 'correct' },
    { question_id: 'outcome_matches', option_id: 'yes' },
    { question_id: 'tone', value: 5 },
    { question_id: 'closed_properly', option_id: 'yes' },
  ];
}

describe('the shipped forms', () => {
  it('are every JSON file in the forms folder, each valid against the form schema', () => {
    const files = readdirSync(FORMS_DIR).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(['general.json', 'outbound-collections.json']);
    for (const file of files) {
      const result = parseFormVersion(JSON.parse(readFileSync(join(FORMS_DIR, file), 'utf8')));
      expect(result.ok ? 'valid' : `${file}: ${result.error}`).toBe('valid');
    }
    expect(shippedForms().map((form) => form.title)).toEqual([
      'Outbound voice agent — collections',
      'General call quality',
    ]);
  });

  it('check the right party before any disclosure, critically, failing the whole form otherwise', () => {
    const form = collections();
    const questions = new Map(formQuestions(form).map(({ question }) => [question.id, question]));
    const check = questions.get('right_party_check');
    expect(check).toMatchObject({ critical: true, type: 'yes_no' });
    expect(questions.get('required_disclosure')).toMatchObject({ critical: true });
    const answers = best().map((a) =>
      a.question_id === 'right_party_check' ? { ...a, option_id: 'no', comment: 'Balance said first' } : a,
    );
    expect(scoreReview(form, answers)).toMatchObject({
      percentage: 0,
      passed: false,
      auto_failed: true,
      reasons: [
        'Auto-fail of the form: "Identification and right-party check before any disclosure" answered "No — disclosed before verifying"',
      ],
    });
  });

  it('fail the whole form on a threat, and ask for a comment saying what was said', () => {
    const answers = best().map((a) => (a.question_id === 'no_pressure' ? { ...a, option_id: 'threat' } : a));
    expect(validateAnswers(collections(), answers).map((p) => p.message)).toEqual([
      'Question "No pressure or threats" (no_pressure): the answer "Threat, harassment or a false statement" needs a comment',
    ]);
    expect(scoreReview(collections(), answers)).toMatchObject({ percentage: 0, auto_failed: true });
  });

  it('pass a call handled well, with a free-text summary that is never scored', () => {
    const answers = [...best(), { question_id: 'summary', value: 'Clean call.' }];
    expect(validateAnswers(collections(), answers, { submit: true })).toEqual([]);
    expect(scoreReview(collections(), answers)).toMatchObject({ percentage: 100, passed: true });
    // A wrong-party call: disclosure and balance are N/A and leave the score alone.
    const wrongParty = best().map((a) =>
      a.question_id === 'required_disclosure' || a.question_id === 'balance_and_options'
        ? { question_id: a.question_id, na: true as const }
        : a,
    );
    expect(scoreReview(collections(), wrongParty)).toMatchObject({ percentage: 100, passed: true });
  });

  it('state a pass mark and ids that stay put (a used version never changes)', () => {
    expect(shippedForms().map((form) => [form.version_id, form.pass_mark])).toEqual([
      ['outbound-collections-1', 80],
      ['general-1', 70],
    ]);
  });
});
