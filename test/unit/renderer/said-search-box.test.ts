/** The search box's `said:` and `said_by:` syntax (renderer/src/calls/call-query.ts). */
import { describe, expect, it } from 'vitest';
import {
  emptyFilter,
  filterKey,
  isFiltered,
  parseSearchBox,
  sameSearch,
  searchBoxText,
} from '../../../renderer/src/calls/call-query.ts';

describe('the search box’s said: prefix', () => {
  it('leaves a box without said: exactly as typed (the free text keeps its meaning)', () => {
    expect(parseSearchBox('mar gar ')).toEqual({
      search: 'mar gar ',
      said: null,
      saidBy: null,
      problem: null,
    });
    expect(parseSearchBox('saidah 555')).toMatchObject({ search: 'saidah 555', said: null });
  });

  it('reads a word, a quoted phrase and a prefix, and keeps the rest as the free text', () => {
    expect(parseSearchBox('said:lawyer')).toMatchObject({ search: '', said: 'lawyer' });
    expect(parseSearchBox('garcia said:"speak to a lawyer" 555')).toMatchObject({
      search: 'garcia 555',
      said: '"speak to a lawyer"',
    });
    expect(parseSearchBox('said:cancel*')).toMatchObject({ said: 'cancel*' });
    expect(parseSearchBox('SAID:Refund')).toMatchObject({ said: 'Refund' });
  });

  it('wants every said: term, and said:a OR said:b either', () => {
    expect(parseSearchBox('said:lawyer said:"cancel my"*').said).toBe('lawyer "cancel my"*');
    expect(parseSearchBox('said:lawyer OR said:attorney smith').said).toBe('lawyer OR attorney');
    expect(parseSearchBox('said:lawyer OR said:attorney smith').search).toBe('smith');
    // An OR among the names stays a name search.
    expect(parseSearchBox('OR said:lawyer').search).toBe('OR');
  });

  it('keeps a phrase still being typed (its quote not closed yet) as one term', () => {
    expect(parseSearchBox('said:"speak to a')).toMatchObject({ search: '', said: '"speak to a' });
  });

  it('ignores said: with nothing to search for yet, without calling it an error', () => {
    expect(parseSearchBox('garcia said:')).toEqual({
      search: 'garcia',
      said: null,
      saidBy: null,
      problem: null,
    });
    expect(parseSearchBox('said:""').said).toBeNull();
  });

  it('reads said_by: customer or agent, and says what is wrong with anything else', () => {
    expect(parseSearchBox('said:lawyer said_by:customer')).toMatchObject({
      said: 'lawyer',
      saidBy: 'customer',
      problem: null,
    });
    expect(parseSearchBox('said_by:Agent said:refund').saidBy).toBe('agent');
    const wrong = parseSearchBox('said:refund said_by:bob');
    expect(wrong.saidBy).toBeNull();
    expect(wrong.said).toBe('refund');
    expect(wrong.problem).toMatch(/said_by: takes agent or customer, not “bob”/);
    const alone = parseSearchBox('said_by:customer');
    expect(alone).toMatchObject({ said: null, saidBy: null, search: '' });
    expect(alone.problem).toMatch(/add the words too/);
  });

  it('writes a filter back as box text that reads as the same filter', () => {
    const filter = {
      search: 'garcia',
      said: 'lawyer "speak to a lawyer" OR cancel*',
      saidBy: 'customer' as const,
    };
    const text = searchBoxText(filter);
    expect(text).toBe('garcia said:lawyer said:"speak to a lawyer" OR said:cancel* said_by:customer');
    expect(parseSearchBox(text)).toMatchObject(filter);
    expect(sameSearch(text, filter)).toBe(true);
    expect(sameSearch('garcia said:lawyer', filter)).toBe(false);
    expect(searchBoxText(emptyFilter)).toBe('');
  });

  it('counts said as a filter, and as part of the key pages are cached under', () => {
    expect(isFiltered({ ...emptyFilter, said: 'lawyer' })).toBe(true);
    expect(filterKey({ ...emptyFilter, said: 'lawyer' })).not.toBe(filterKey(emptyFilter));
    expect(filterKey({ ...emptyFilter, said: 'lawyer', saidBy: 'agent' })).not.toBe(
      filterKey({ ...emptyFilter, said: 'lawyer', saidBy: 'customer' }),
    );
  });
});
