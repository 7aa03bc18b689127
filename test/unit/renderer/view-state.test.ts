/** A list view as a URL query and as stored JSON (renderer/src/calls/view-state.ts). */
import { describe, expect, it } from 'vitest';
import { emptyFilter } from '../../../renderer/src/calls/call-query.ts';
import {
  emptyView,
  type ListView,
  viewFromJson,
  viewFromQuery,
  viewToJson,
  viewToQuery,
} from '../../../renderer/src/calls/view-state.ts';

const view: ListView = {
  filter: {
    ...emptyFilter,
    search: 'maría garcía',
    status: ['COMPLETED', 'NO_ANSWER'],
    outcome: ['CALLBACK_REQUESTED'],
    from: '2025-08-09T00:00:00.000Z',
    to: '2025-08-09T23:59:59.999Z',
    hasRecording: true,
  },
  selectedId: 'int-42',
};

describe('a view in the address bar', () => {
  it('round-trips every filter and the selected call', () => {
    const query = viewToQuery(view);
    expect(query).toMatch(/^\?q=mar%C3%ADa\+garc%C3%ADa&status=COMPLETED%2CNO_ANSWER&/);
    expect(viewFromQuery(query)).toEqual(view);
  });

  it('round-trips the other filter fields too (the reviews’ status, score, tag…)', () => {
    const reviewed: ListView = {
      filter: { ...emptyFilter, review: ['passed', 'failed'], scoreMin: 80, reviewTag: 'escalation' },
      selectedId: null,
    };
    const query = viewToQuery(reviewed);
    expect(new URLSearchParams(query).get('scoreMin')).toBe('80');
    expect(viewFromQuery(query)).toEqual(reviewed);
    expect(viewFromQuery('?scoreMin=lots')?.filter.scoreMin).toBeNull();
  });

  it('is empty for the default view, and an address without a view names none', () => {
    expect(viewToQuery(emptyView)).toBe('');
    expect(viewFromQuery('')).toBeNull();
    expect(viewFromQuery('?utm_source=mail')).toBeNull();
  });

  it('keeps what is valid in a hand-edited address and drops what is not', () => {
    expect(viewFromQuery('?q=smith&from=yesterday&recording=maybe')).toEqual({
      filter: { ...emptyFilter, search: 'smith' },
      selectedId: null,
    });
    expect(viewFromQuery('?recording=no&status=,BUSY,')).toEqual({
      filter: { ...emptyFilter, status: ['BUSY'], hasRecording: false },
      selectedId: null,
    });
  });
});

describe('a view kept across reloads', () => {
  it('round-trips through JSON', () => {
    expect(viewFromJson(viewToJson(view))).toEqual(view);
  });

  it('is null when nothing or garbage was stored, and repaired when a field went bad', () => {
    expect(viewFromJson(null)).toBeNull();
    expect(viewFromJson('{not json')).toBeNull();
    expect(
      viewFromJson(JSON.stringify({ filter: { search: 'x', status: 'COMPLETED' }, selectedId: 7 })),
    ).toEqual({
      filter: { ...emptyFilter, search: 'x' },
      selectedId: null,
    });
  });
});
