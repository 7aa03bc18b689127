/**
 * The transcript panel (a complementary region named "Transcript") beside the list, above the
 * player: the turns of the call in the player (or, before anything plays, the selected one), each
 * with its speaker in the waveform lane's colour, its time and, where the source has it, its
 * sentiment. The turn being spoken is marked (aria-current) and kept in view while the call plays;
 * a turn is a button that plays from there; a search box finds words within the call and steps
 * through them; "Quote in note" puts a turn in the review. T shows and hides it.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { CallRow } from '../../../shared/contract.ts';
import { callTitle, formatClock } from '../calls/call-format.ts';
import type { AudioController } from '../player/audio-controller.ts';
import { subscribeToClock, usePlayerState } from '../player/use-playback.ts';
import { CloseIcon } from '../ui/icons.tsx';
import {
  alignmentText,
  currentTurnIndex,
  findMatches,
  firstMatchFrom,
  FORMAT_NAMES,
  highlightRuns,
  SENTIMENT_LABELS,
  speakerName,
  stepMatch,
  type TranscriptSegment,
  type TranscriptView,
  type TurnMatch,
} from './transcript-turns.ts';
import './transcripts.css';
import { scrollIntoList, useFollowTurn } from './use-follow-turn.ts';
import { transcriptPanelOpen, useTranscript } from './use-transcript.ts';

export function TranscriptPanel(props: {
  controller: AudioController;
  selected: CallRow | null;
  onQuote: (call: CallRow, segment: TranscriptSegment) => void;
}) {
  const [open, setOpen] = transcriptPanelOpen.use();
  const player = usePlayerState(props.controller);
  const call = player.call ?? props.selected;
  const loaded = useTranscript(open ? (call?.interaction_id ?? null) : null);
  if (!open) return null;

  const close = () => {
    setOpen(false);
    // The keyboard goes back to the player's toggle rather than falling to the page.
    document.querySelector<HTMLElement>('[aria-controls="transcript-panel"]')?.focus();
  };

  let body: React.ReactNode;
  if (call === null) body = <p className="transcript-note">Select or play a call to read its transcript.</p>;
  else if (loaded.state === 'failed')
    body = (
      <p className="transcript-note is-error" role="alert">
        {loaded.message}
      </p>
    );
  else if (loaded.state !== 'ready') body = <p className="transcript-note">Reading the transcript…</p>;
  else if (loaded.transcript === null || loaded.transcript.segments.length === 0)
    body = <p className="transcript-note">No transcript for this call</p>;
  else
    body = (
      <TranscriptBody
        key={call.interaction_id}
        controller={props.controller}
        call={call}
        inPlayer={player.call?.interaction_id === call.interaction_id}
        transcript={loaded.transcript}
        onQuote={props.onQuote}
      />
    );

  return (
    <aside id="transcript-panel" className="transcript-panel" aria-label="Transcript">
      <div className="transcript-head">
        <h2>Transcript</h2>
        {call !== null && <span className="transcript-call">{callTitle(call)}</span>}
        <button
          type="button"
          className="icon-button"
          aria-label="Close transcript"
          aria-keyshortcuts="T"
          title="Close the transcript (T)"
          onClick={close}
        >
          <CloseIcon />
        </button>
      </div>
      {body}
    </aside>
  );
}

function TranscriptBody(props: {
  controller: AudioController;
  call: CallRow;
  /** The call is the one in the player: the playhead marks a turn. */
  inPlayer: boolean;
  transcript: TranscriptView;
  onQuote: (call: CallRow, segment: TranscriptSegment) => void;
}) {
  const { controller, call, transcript, inPlayer } = props;
  const segments = transcript.segments;
  const listRef = useRef<HTMLOListElement>(null);

  const subscribe = useCallback(
    (onChange: () => void) => subscribeToClock(controller, onChange),
    [controller],
  );
  const current = useSyncExternalStore(subscribe, () =>
    inPlayer ? currentTurnIndex(segments, controller.currentTime * 1000) : null,
  );
  const { hold } = useFollowTurn(listRef, current, transcript);

  // ---- search within the call ----
  const [query, setQuery] = useState('');
  const matches = useMemo(() => findMatches(segments, query), [segments, query]);
  const [active, setActive] = useState<number | null>(null);
  const byTurn = useMemo(() => {
    const grouped = new Map<number, TurnMatch[]>();
    for (const match of matches) grouped.set(match.turn, [...(grouped.get(match.turn) ?? []), match]);
    return grouped;
  }, [matches]);
  const activeMatch = active === null ? null : (matches[active] ?? null);

  const showMatch = useCallback(
    (index: number | null) => {
      setActive(index);
      const match = index === null ? undefined : matches[index];
      const list = listRef.current;
      if (match === undefined || !list) return;
      hold(); // the reader is looking at a hit now, not at the playhead
      const item = list.querySelector<HTMLElement>(`[data-turn="${match.turn}"]`);
      if (item) scrollIntoList(list, item, false);
    },
    [matches, hold],
  );

  // A new search starts at the first hit from where the reader is.
  const currentRef = useRef(current);
  currentRef.current = current;
  useEffect(() => {
    showMatch(firstMatchFrom(matches, currentRef.current));
    // Only when the hits change (a new query), not when the playhead moves.
  }, [matches]);

  const step = (direction: 1 | -1) => showMatch(stepMatch(active, matches.length, direction));

  // ---- the turns: one Tab stop (↑/↓ move between them), the turn being spoken by default ----
  const [focused, setFocused] = useState<number | null>(null);
  const tabTurn = focused ?? current ?? 0;
  const focusTurn = (index: number) => {
    const clamped = Math.min(segments.length - 1, Math.max(0, index));
    listRef.current?.querySelector<HTMLElement>(`[data-turn="${clamped}"] .turn-seek`)?.focus();
  };
  const onTurnKey = (event: React.KeyboardEvent, index: number) => {
    const to: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: segments.length - 1,
    };
    const target = to[event.key];
    if (target === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation(); // not the list's ↑/↓ (keyboard-shortcuts.ts)
    focusTurn(target);
  };

  const alignment = alignmentText(transcript.alignment);
  const count =
    query.trim() === ''
      ? ''
      : matches.length === 0
        ? 'No matches'
        : `${active === null ? 0 : active + 1} of ${matches.length}`;

  return (
    <>
      <div className="transcript-search">
        <input
          type="search"
          aria-label="Search transcript"
          placeholder="Search this call…"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              step(event.shiftKey ? -1 : 1);
            } else if (event.key === 'Escape' && query !== '') {
              event.preventDefault();
              event.stopPropagation();
              setQuery('');
            }
          }}
        />
        <span className="transcript-count" role="status">
          {count}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label="Previous match"
          title="Previous match (Shift+Enter)"
          disabled={matches.length === 0}
          onClick={() => step(-1)}
        >
          <span aria-hidden="true">↑</span>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Next match"
          title="Next match (Enter)"
          disabled={matches.length === 0}
          onClick={() => step(1)}
        >
          <span aria-hidden="true">↓</span>
        </button>
      </div>
      <p className="transcript-meta">
        {FORMAT_NAMES[transcript.format]}
        {alignment !== null && <span className="transcript-alignment"> · {alignment}</span>}
      </p>
      <ol
        ref={listRef}
        className="transcript-turns"
        aria-label={`Turns of ${callTitle(call)}`}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setFocused(null);
        }}
      >
        {segments.map((segment, index) => {
          const isCurrent = index === current;
          const time = formatClock(segment.startMs / 1000);
          const tabIndex = index === tabTurn ? 0 : -1;
          return (
            <li
              key={index}
              data-turn={index}
              className={`turn speaker-${segment.speaker}${isCurrent ? ' is-current' : ''}`}
            >
              <button
                type="button"
                className="turn-seek"
                aria-current={isCurrent ? 'true' : undefined}
                title={`Play from ${time}`}
                tabIndex={tabIndex}
                onFocus={() => setFocused(index)}
                onKeyDown={(event) => onTurnKey(event, index)}
                onClick={() => controller.playFrom(call, segment.startMs / 1000)}
              >
                <span className="turn-head">
                  <span className="turn-speaker">{speakerName(segment)}</span>
                  <span className="turn-time">{time}</span>
                  {segment.sentiment !== null && (
                    <span className={`turn-sentiment sentiment-${segment.sentiment.toLowerCase()}`}>
                      {SENTIMENT_LABELS[segment.sentiment]}
                    </span>
                  )}
                </span>
                <span className="turn-text">
                  {highlightRuns(segment.text, byTurn.get(index) ?? [], activeMatch).map((run, at) =>
                    run.mark === null ? (
                      <span key={at}>{run.text}</span>
                    ) : (
                      <mark key={at} className={run.mark === 'active' ? 'is-active-match' : undefined}>
                        {run.text}
                      </mark>
                    ),
                  )}
                </span>
              </button>
              <button
                type="button"
                className="turn-quote"
                aria-label="Quote in note"
                title={`Quote this turn (${time}) in a review note`}
                tabIndex={tabIndex}
                onFocus={() => setFocused(index)}
                onKeyDown={(event) => onTurnKey(event, index)}
                onClick={() => props.onQuote(call, segment)}
              >
                Quote
              </button>
            </li>
          );
        })}
      </ol>
    </>
  );
}
