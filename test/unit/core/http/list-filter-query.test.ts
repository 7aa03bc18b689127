import { describe, expect, it } from 'vitest';
import {
  RequestValidationError,
  type ValidationIssue,
} from '../../../../electron/core/http/fastapi-validation.ts';
import { readListFilter, readListPaging } from '../../../../electron/core/http/list-filter-query.ts';
import { encodeCursor } from '../../../../electron/core/catalog/call-pages.ts';

function issuesOf(read: () => unknown): ValidationIssue[] {
  try {
    read();
  } catch (error) {
    if (error instanceof RequestValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

describe('from and to', () => {
  it.each([
    ['from', '2025-02-30', /2025-02 has 28 days/],
    ['from', '2025-02-29', /2025-02 has 28 days/],
    ['to', '2025-02-30', /2025-02 has 28 days/],
    ['to', '2025-04-31', /2025-04 has 30 days/],
    ['from', '2025-08-32', /2025-08 has 31 days/],
    ['from', '2025-13-01', /month value/],
    ['from', '2025-02-30T10:00:00Z', /2025-02 has 28 days/],
    ['to', '2025-08-08T24:30:00Z', /time value/],
    ['from', 'yesterday', /valid date or datetime, e\.g\./],
  ])('refuses %s=%s, naming the parameter', (name, value, why) => {
    const [issue, ...rest] = issuesOf(() => readListFilter({ [name]: value }));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ type: 'datetime_from_date_parsing', loc: ['query', name], input: value });
    expect(issue!.msg).toMatch(why);
  });

  it('takes real dates, leap days included, as whole days, and date-times as given (UTC without a zone)', () => {
    expect(readListFilter({ from: '2024-02-29', to: '2024-02-29' })).toMatchObject({
      from: '2024-02-29T00:00:00.000Z',
      to: '2024-02-29T23:59:59.999Z',
    });
    expect(readListFilter({ from: '2000-02-29' }).from).toBe('2000-02-29T00:00:00.000Z');
    expect(issuesOf(() => readListFilter({ from: '1900-02-29' }))[0]!.msg).toMatch(/1900-02 has 28 days/);
    expect(readListFilter({ from: '2025-08-08T11:44', to: '2025-08-08T13:44:39+02:00' })).toMatchObject({
      from: '2025-08-08T11:44:00.000Z',
      to: '2025-08-08T11:44:39.000Z',
    });
  });
});

describe('status and outcome', () => {
  it('match ignoring case: the upper-case spelling, and every spelling the catalog holds', () => {
    expect(readListFilter({ status: 'completed' }).status).toEqual(['completed', 'COMPLETED']);
    const known = () => ({
      statuses: ['COMPLETED', 'Completed', 'FAILED'],
      outcomes: ['Callback_Requested'],
    });
    expect(
      readListFilter({ status: 'completed,failed', outcome: 'CALLBACK_REQUESTED' }, known),
    ).toMatchObject({
      status: ['completed', 'COMPLETED', 'Completed', 'failed', 'FAILED'],
      outcome: ['CALLBACK_REQUESTED', 'Callback_Requested'],
    });
  });

  it('accept a value no call has (the spec fixes no set), and do not read the catalog when not filtering', () => {
    let reads = 0;
    const known = () => {
      reads += 1;
      return { statuses: ['COMPLETED'], outcomes: [] };
    };
    expect(readListFilter({ status: 'BOGUS' }, known).status).toEqual(['BOGUS']);
    expect(reads).toBe(1);
    readListFilter({ q: 'ann' }, known);
    expect(reads).toBe(1);
  });
});

describe('has_recording', () => {
  it.each(['true', 'TRUE', ' True '])('takes %j as true', (value) => {
    expect(readListFilter({ has_recording: value }).hasRecording).toBe(true);
  });

  it.each(['yes', '1', 'on', '0', 'no', 'maybe'])('refuses %j with a 422 saying true or false', (value) => {
    expect(issuesOf(() => readListFilter({ has_recording: value }))).toEqual([
      {
        type: 'bool_parsing',
        loc: ['query', 'has_recording'],
        msg: 'Input should be true or false',
        input: value,
      },
    ]);
  });
});

describe('paging', () => {
  it('pages by offset without after, capping limit at 1000', () => {
    expect(readListPaging({}, { limit: 5000, offset: 3 })).toEqual({ limit: 1000, offset: 3 });
  });

  it('pages by keyset with after, from the first page or a cursor it gave', () => {
    expect(readListPaging({ after: '' }, { limit: 5, offset: 0 })).toEqual({ limit: 5, after: '' });
    const cursor = encodeCursor({ startMs: 1, interactionId: 'a' });
    expect(readListPaging({ after: cursor, offset: '0' }, { limit: 5, offset: 0 })).toEqual({
      limit: 5,
      after: cursor,
    });
  });

  it('refuses after with an offset, with limit=0, or with a cursor it did not give, saying what to do', () => {
    const issues = issuesOf(() =>
      readListPaging({ after: 'junk', offset: '3', limit: '0' }, { limit: 0, offset: 3 }),
    );
    expect(issues.map((issue) => issue.loc)).toEqual([
      ['query', 'after'],
      ['query', 'offset'],
      ['query', 'limit'],
    ]);
    expect(issues[0]!.msg).toMatch(/pass the next_after of the previous page/);
    expect(issues[1]!.msg).toMatch(/Drop offset, or drop after/);
    expect(issues[2]!.msg).toMatch(/limit must be 1 or more with after/);
  });
});

describe('said and said_by', () => {
  it('read the words spoken and the side, with every other filter', () => {
    expect(
      readListFilter({ said: ' "speak to a lawyer" ', said_by: 'Customer', status: 'FAILED', q: 'louis' }),
    ).toMatchObject({ said: '"speak to a lawyer"', saidBy: 'customer', status: ['FAILED'], search: 'louis' });
    expect(readListFilter({ said: 'canc*' })).toMatchObject({ said: 'canc*', saidBy: null });
    // Absent or blank: no said filter (the spec's list).
    expect(readListFilter({})).toMatchObject({ said: null, saidBy: null });
    expect(readListFilter({ said: '  ' })).toMatchObject({ said: null, saidBy: null });
  });

  it.each([
    ['?!', /Value error, said: it has no word to search for/],
    ['c*', /Value error, said: c\* is too short a prefix: give at least 2 letters/],
    ['lawyer OR', /Value error, said: OR needs a word on each side/],
  ])('refuses said=%s saying what was wrong', (said, why) => {
    const [issue, ...rest] = issuesOf(() => readListFilter({ said }));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ type: 'value_error', loc: ['query', 'said'], input: said });
    expect(issue!.msg).toMatch(why);
  });

  it('refuses a said longer than 200 characters, a side that is not one, and said_by alone', () => {
    expect(issuesOf(() => readListFilter({ said: 'a'.repeat(201) }))[0]).toMatchObject({
      type: 'string_too_long',
      loc: ['query', 'said'],
    });
    expect(issuesOf(() => readListFilter({ said: 'lawyer', said_by: 'caller' }))).toEqual([
      {
        type: 'enum',
        loc: ['query', 'said_by'],
        msg: "Input should be 'agent' or 'customer'",
        input: 'caller',
        ctx: { expected: "'agent' or 'customer'" },
      },
    ]);
    const [alone] = issuesOf(() => readListFilter({ said_by: 'agent' }));
    expect(alone).toMatchObject({ type: 'value_error', loc: ['query', 'said_by'] });
    expect(alone!.msg).toMatch(/give the words too, e\.g\. said=lawyer&said_by=customer/);
    // With a said that is itself refused, only that one is named.
    expect(issuesOf(() => readListFilter({ said: '!!', said_by: 'agent' })).map((i) => i.loc)).toEqual([
      ['query', 'said'],
    ]);
  });
});
