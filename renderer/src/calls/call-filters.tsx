import { type Ref, useEffect, useId, useRef, useState } from 'react';
import type { LibraryStatus } from '../../../shared/contract.ts';
import { useDisplayZone } from '../preferences/display-zone.ts';
import { DayField } from '../ui/form-fields.tsx';
import { SearchIcon } from '../ui/icons.tsx';
import { humanize, zoneLabel } from './call-format.ts';
import {
  type CallFilter,
  dateOf,
  emptyFilter,
  endOfDay,
  isFiltered,
  isReversed,
  parseSearchBox,
  sameSearch,
  searchBoxText,
  startOfDay,
} from './call-query.ts';

/** The server does the matching; this only waits for a pause in typing. */
const SEARCH_DEBOUNCE_MS = 150;

/** How the server matches (see `callQuerySchema.search`), for the box's tooltip and screen readers. */
const SEARCH_HELP =
  'Names match from the start of each word, accents ignored ("mar gar" finds María García); ' +
  'phone numbers by their last digits, formatting ignored; interaction ids by their start; ' +
  'dispatch ids in full. said:word, said:"a phrase" or said:canc* finds calls by what was said ' +
  '(said:a OR said:b either); said_by:customer or said_by:agent counts one side only.';

/** Search and filters above the list. Facet values come from `library:status`. */
export function CallFilters(props: {
  filter: CallFilter;
  onChange: (filter: CallFilter) => void;
  facets: LibraryStatus['facets'] | null;
  searchRef: Ref<HTMLInputElement>;
  /** Escape in the search box hands the keyboard back to the list. */
  onLeaveSearch: () => void;
}) {
  const { filter, onChange } = props;
  const [zone] = useDisplayZone();
  const [text, setText] = useState(() => searchBoxText(filter));
  const searchInput = useRef<HTMLInputElement | null>(null);
  const helpId = useId();
  const problemId = useId();
  const latest = useRef(filter);
  /** The box's text last handed to the query, to tell our own updates from outside ones. */
  const sent = useRef(text);
  const problem = parseSearchBox(text).problem;
  useEffect(() => {
    latest.current = filter;
  }, [filter]);

  // Typing updates the box at once and the query after a short pause.
  useEffect(() => {
    if (text === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = text;
      const { search, said, saidBy } = parseSearchBox(text);
      onChange({ ...latest.current, search, said, saidBy });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onChange]);

  // Something else (Clear filters, the said chip) changed the search: the box follows.
  useEffect(() => {
    const wanted = { search: filter.search, said: filter.said, saidBy: filter.saidBy };
    if (sameSearch(sent.current, wanted)) return;
    sent.current = searchBoxText(wanted);
    setText(sent.current);
  }, [filter.search, filter.said, filter.saidBy]);

  const single = (values: readonly string[]) => values[0] ?? '';
  const statuses = props.facets?.statuses ?? [];
  const outcomes = props.facets?.outcomes ?? [];

  return (
    <div className="filters" role="search">
      <label className="search-box">
        <SearchIcon />
        <input
          ref={(element) => {
            searchInput.current = element;
            if (typeof props.searchRef === 'function') props.searchRef(element);
            else if (props.searchRef) props.searchRef.current = element;
          }}
          type="search"
          aria-label="Search"
          aria-keyshortcuts="/"
          placeholder="Search name, phone digits, id or said:words…"
          title={SEARCH_HELP}
          aria-describedby={problem === null ? helpId : `${problemId} ${helpId}`}
          aria-invalid={problem !== null || undefined}
          autoComplete="off"
          spellCheck={false}
          value={text}
          // ↑/↓/Enter still move through and play the list from here (keyboard-shortcuts.ts).
          data-pass-keys="list"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            if (text === '' && filter.search === '') {
              props.onLeaveSearch();
              return;
            }
            // One press clears the box and the list at once (no wait for the typing pause).
            sent.current = '';
            setText('');
            onChange({ ...latest.current, search: '', said: null, saidBy: null });
          }}
        />
        <kbd className="search-hint" aria-hidden="true">
          /
        </kbd>
        <span id={helpId} className="visually-hidden">
          {SEARCH_HELP}
        </span>
      </label>
      {filter.said !== null && (
        <SaidChip
          said={filter.said}
          saidBy={filter.saidBy}
          onClear={() => {
            // The box keeps its free text as typed (even if the typing pause has not sent it yet).
            const rest = parseSearchBox(text).search;
            sent.current = rest;
            setText(rest);
            onChange({ ...latest.current, search: rest, said: null, saidBy: null });
            searchInput.current?.focus();
          }}
        />
      )}
      {problem !== null && (
        <p id={problemId} className="search-problem" role="status">
          {problem}
        </p>
      )}
      <select
        aria-label="Status"
        value={single(filter.status)}
        onChange={(event) => onChange({ ...filter, status: event.target.value ? [event.target.value] : [] })}
      >
        <option value="">Any status</option>
        {withCurrent(statuses, single(filter.status)).map((value) => (
          <option key={value} value={value}>
            {humanize(value)}
          </option>
        ))}
      </select>
      <select
        aria-label="Outcome"
        value={single(filter.outcome)}
        onChange={(event) => onChange({ ...filter, outcome: event.target.value ? [event.target.value] : [] })}
      >
        <option value="">Any outcome</option>
        {withCurrent(outcomes, single(filter.outcome)).map((value) => (
          <option key={value} value={value}>
            {humanize(value)}
          </option>
        ))}
      </select>
      <span className="date-range" title={`Days in ${zoneLabel(zone)}`}>
        <DayField
          label="From"
          value={dateOf(filter.from, zone)}
          max={dateOf(filter.to, zone)}
          invalid={isReversed(filter)}
          onChange={(day) => onChange({ ...filter, from: startOfDay(day, zone) })}
        />
        <DayField
          label="To"
          value={dateOf(filter.to, zone)}
          min={dateOf(filter.from, zone)}
          invalid={isReversed(filter)}
          onChange={(day) => onChange({ ...filter, to: endOfDay(day, zone) })}
        />
      </span>
      <select
        aria-label="Recording"
        value={filter.hasRecording === null ? '' : filter.hasRecording ? 'yes' : 'no'}
        onChange={(event) =>
          onChange({
            ...filter,
            hasRecording: event.target.value === '' ? null : event.target.value === 'yes',
          })
        }
      >
        <option value="">All calls</option>
        <option value="yes">With recording</option>
        <option value="no">Without recording</option>
      </select>
      {isFiltered(filter) && (
        <button
          type="button"
          className="button small ghost"
          onClick={() => {
            setText('');
            onChange(emptyFilter);
            // This button goes with the filters: the keyboard stays in the search box, not the page.
            searchInput.current?.focus();
          }}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}

/** The `said` filter at a glance (what was said, by whom), with its own clear button. */
function SaidChip(props: { said: string; saidBy: 'agent' | 'customer' | null; onClear: () => void }) {
  const who = props.saidBy === null ? '' : ` by the ${props.saidBy}`;
  return (
    <span className="said-chip" title={`Calls where ${props.said} was said${who}`}>
      <span className="said-chip-text">
        Said: <strong className="said-chip-words">{props.said}</strong>
        {who !== '' && <span className="said-chip-by">{who}</span>}
      </span>
      <button
        type="button"
        className="said-chip-clear"
        aria-label="Clear the said filter"
        title="Clear the said filter"
        onClick={props.onClear}
      >
        ×
      </button>
    </span>
  );
}

/** A value chosen before the facets changed stays choosable, so the select never lies. */
function withCurrent(values: readonly string[], current: string): readonly string[] {
  return current === '' || values.includes(current) ? values : [current, ...values];
}
