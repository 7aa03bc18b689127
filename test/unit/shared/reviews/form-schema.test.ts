import { describe, expect, it } from 'vitest';
import { parseFormVersion, type FormVersionInput } from '../../../../shared/reviews/form-schema.ts';

/** A small valid form; tests break one field of a copy of it. */
function form(): FormVersionInput {
  return {
    form_id: 'demo',
    version_id: 'demo-1',
    title: 'Demo',
    pass_mark: 80,
    sections: [
      {
        id: 'opening',
        title: 'Opening',
        weight: 1,
        questions: [
          { id: 'greeted', text: 'Greeted the customer', type: 'yes_no' },
          {
            id: 'verified',
            text: 'Verified identity',
            type: 'single_choice',
            options: [
              { id: 'full', label: 'Fully', points: 2 },
              { id: 'none', label: 'Not at all', points: 0, auto_fail: 'form' },
            ],
          },
        ],
      },
      {
        id: 'closing',
        title: 'Closing',
        weight: 2,
        questions: [
          { id: 'tone', text: 'Tone', type: 'scale' },
          {
            id: 'holds',
            text: 'Times put on hold',
            type: 'number',
            min: 0,
            max: 20,
            bands: [
              { min: 0, max: 0, points: 2 },
              { min: 1, max: 2, points: 1 },
            ],
          },
          { id: 'summary', text: 'Summary', type: 'free_text' },
        ],
      },
      {
        id: 'third',
        title: 'Third',
        questions: [
          {
            id: 'issues',
            text: 'Issues',
            type: 'multiple_choice',
            options: [
              { id: 'a', label: 'A', points: 1 },
              { id: 'b', label: 'B', points: 1 },
            ],
          },
        ],
      },
    ],
  };
}

function errorOf(json: unknown): string {
  const result = parseFormVersion(json);
  if (result.ok) throw new Error('expected the form to be refused');
  return result.error;
}

describe('parseFormVersion', () => {
  it('accepts a form and fills in the defaults a file may leave out', () => {
    const result = parseFormVersion(form());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [greeted] = result.form.sections[0]!.questions;
    expect(greeted).toMatchObject({ weight: 1, na_allowed: false, critical: false });
    expect(greeted?.type === 'yes_no' && greeted.options.map((option) => option.id)).toEqual(['yes', 'no']);
    expect(result.form.sections[2]!.weight).toBe(1);
    expect(result.form.description).toBe('');
  });

  it('names the bad field with bracketed indices and dotted keys: at least 2 options', () => {
    const bad = form();
    const question = bad.sections[2]!.questions[0]!;
    if (question.type !== 'multiple_choice') throw new Error('fixture changed');
    question.options = [question.options[0]!];
    expect(errorOf(bad)).toBe('sections[2].questions[0].options: at least 2');
  });

  it('refuses a pass mark above 100 and a weight of 0, naming each', () => {
    const bad = form();
    bad.pass_mark = 120;
    bad.sections[1]!.weight = 0;
    const error = errorOf(bad);
    expect(error).toContain('pass_mark: at most 100');
    expect(error).toContain('sections[1].weight: more than 0');
  });

  it('says a missing field is required and a wrong type what it expected', () => {
    const { title: _title, ...untitled } = form();
    expect(errorOf(untitled)).toBe('title: required');
    expect(errorOf({ ...form(), pass_mark: '80' })).toBe('pass_mark: expected a number, got text');
    expect(errorOf('a form')).toBe('(the form): expected an object, got text');
  });

  it('refuses a misspelt field instead of ignoring it', () => {
    const bad = form();
    Object.assign(bad.sections[0]!.questions[0]!, { wieght: 2 });
    expect(errorOf(bad)).toBe('sections[0].questions[0].wieght: unknown field (check its spelling)');
  });

  it('refuses an unknown question type and an unknown auto-fail scope, listing the allowed ones', () => {
    const bad = form();
    Object.assign(bad.sections[0]!.questions[0]!, { type: 'essay' });
    expect(errorOf(bad)).toMatch(
      /^sections\[0]\.questions\[0]\.type: must be one of "yes_no", "single_choice"/,
    );
    const worse = form();
    const verified = worse.sections[0]!.questions[1]!;
    if (verified.type !== 'single_choice') throw new Error('fixture changed');
    Object.assign(verified.options[1]!, { auto_fail: 'call' });
    expect(errorOf(worse)).toBe(
      'sections[0].questions[1].options[1].auto_fail: must be one of "section", "form"',
    );
  });

  it('refuses an id used twice in the form, across sections', () => {
    const bad = form();
    bad.sections[2]!.questions[0]!.id = 'greeted';
    expect(errorOf(bad)).toBe(
      'sections[2].questions[0].id: "greeted" is already the id of sections[0].questions[0].id; section and question ids must be unique in the form',
    );
  });

  it('refuses two options of one question with the same id', () => {
    const bad = form();
    const verified = bad.sections[0]!.questions[1]!;
    if (verified.type !== 'single_choice') throw new Error('fixture changed');
    verified.options[1]!.id = 'full';
    expect(errorOf(bad)).toBe(
      'sections[0].questions[1].options[1].id: "full" is used by another option of this question',
    );
  });

  it('refuses a yes/no question whose options are not yes and no', () => {
    const bad = form();
    Object.assign(bad.sections[0]!.questions[0]!, {
      options: [
        { id: 'y', label: 'Y', points: 1 },
        { id: 'n', label: 'N', points: 0 },
      ],
    });
    expect(errorOf(bad)).toContain(
      'sections[0].questions[0].options: a yes/no question has exactly the options',
    );
  });

  it('refuses a number question whose band lies outside its range', () => {
    const bad = form();
    const holds = bad.sections[1]!.questions[1]!;
    if (holds.type !== 'number') throw new Error('fixture changed');
    holds.bands.push({ min: 10, max: 30, points: 0 });
    expect(errorOf(bad)).toBe(
      "sections[1].questions[1].bands[2]: must lie within the question's range 0..20",
    );
  });

  it('refuses an id with a space, saying what an id may hold', () => {
    expect(errorOf({ ...form(), form_id: 'my form' })).toMatch(/^form_id: an id is letters, digits/);
  });

  it('refuses a form without sections and a section without questions', () => {
    expect(errorOf({ ...form(), sections: [] })).toBe('sections: at least 1 (it must not be empty)');
    const bad = form();
    bad.sections[0]!.questions = [];
    expect(errorOf(bad)).toBe('sections[0].questions: at least 1 (it must not be empty)');
  });
});
