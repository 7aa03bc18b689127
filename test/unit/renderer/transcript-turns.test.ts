/** The transcript panel's logic (renderer/src/transcripts/transcript-turns.ts). */
import { describe, expect, it } from 'vitest';
import {
  alsoSaid,
  alignmentText,
  currentTurnIndex,
  findMatches,
  firstMatchFrom,
  highlightRuns,
  notePrefillFor,
  quoteText,
  snippetRuns,
  speakerName,
  stepMatch,
} from '../../../renderer/src/transcripts/transcript-turns.ts';

const turn = (
  startMs: number,
  endMs: number,
  text = '',
  speaker: 'agent' | 'customer' | 'unknown' = 'agent',
) => ({
  startMs,
  endMs,
  speaker,
  speakerLabel: null,
  text,
  sentiment: null,
});

const turns = [
  turn(1000, 4000, 'Hello, this is Acme.'),
  turn(4500, 9000, 'I want to cancel my plan.', 'customer'),
  turn(8000, 12_000, 'Sorry to hear that.'), // starts before the customer stops
  turn(15_000, 20_000, 'Cancel it now, or I call my lawyer.', 'customer'),
];

describe('the turn being spoken', () => {
  it('is none before the first turn starts', () => {
    expect(currentTurnIndex(turns, 0)).toBeNull();
    expect(currentTurnIndex(turns, 999)).toBeNull();
    expect(currentTurnIndex([], 5000)).toBeNull();
  });

  it('is the turn spoken at the playhead, from its first millisecond', () => {
    expect(currentTurnIndex(turns, 1000)).toBe(0);
    expect(currentTurnIndex(turns, 3999)).toBe(0);
    expect(currentTurnIndex(turns, 4500)).toBe(1);
    expect(currentTurnIndex(turns, 16_000)).toBe(3);
  });

  it('is the one started last where two voices overlap', () => {
    expect(currentTurnIndex(turns, 8500)).toBe(2);
  });

  it('stays on the last turn through a silence, and after the end', () => {
    expect(currentTurnIndex(turns, 13_000)).toBe(2);
    expect(currentTurnIndex(turns, 60_000)).toBe(3);
  });

  it('is found in a long call as in a short one', () => {
    const many = Array.from({ length: 5000 }, (_, i) => turn(i * 1000, i * 1000 + 900));
    expect(currentTurnIndex(many, 4_321_500)).toBe(4321);
    expect(currentTurnIndex(many, 4_999_999)).toBe(4999);
  });
});

describe('search within the call', () => {
  it('finds every hit in reading order, case and accents ignored', () => {
    const matches = findMatches([...turns, turn(21_000, 22_000, 'Café CANCEL cancel')], 'cancel');
    expect(matches.map((m) => [m.turn, m.start])).toEqual([
      [1, 10],
      [3, 0],
      [4, 5],
      [4, 12],
    ]);
    expect(findMatches([turn(0, 1, 'Un café, por favor')], 'CAFE')).toEqual([{ turn: 0, start: 3, end: 7 }]);
  });

  it('finds a phrase, spaces typed loosely, and nothing for an empty box', () => {
    expect(findMatches(turns, '  my   lawyer ')).toEqual([{ turn: 3, start: 25, end: 34 }]);
    expect(findMatches(turns, '   ')).toEqual([]);
  });

  it('marks the hits of a turn, the one stepped to apart', () => {
    const text = turns[3]!.text;
    const matches = findMatches([turns[3]!], 'c');
    const runs = highlightRuns(text, matches, matches[1]!);
    expect(runs.map((r) => r.text).join('')).toBe(text);
    expect(runs.filter((r) => r.mark !== null).map((r) => r.mark)).toEqual(['hit', 'active', 'hit']);
    expect(highlightRuns('plain', [], null)).toEqual([{ text: 'plain', mark: null }]);
  });

  it('steps forward and back, going round at the ends ("2 of 5")', () => {
    expect(stepMatch(null, 5, 1)).toBe(0);
    expect(stepMatch(null, 5, -1)).toBe(4);
    expect(stepMatch(1, 5, 1)).toBe(2);
    expect(stepMatch(4, 5, 1)).toBe(0);
    expect(stepMatch(0, 5, -1)).toBe(4);
    expect(stepMatch(0, 0, 1)).toBeNull();
  });

  it('starts at the first hit from the turn being spoken', () => {
    const matches = findMatches(turns, 'cancel');
    expect(firstMatchFrom(matches, null)).toBe(0);
    expect(firstMatchFrom(matches, 2)).toBe(1);
    expect(firstMatchFrom(matches, 3)).toBe(1);
    expect(firstMatchFrom(findMatches(turns, 'hello'), 3)).toBe(0); // none after: the first
    expect(firstMatchFrom([], 1)).toBeNull();
  });
});

describe('names, quotes and snippets', () => {
  it('names speakers as the waveform lanes do, and other voices by their own name', () => {
    expect(speakerName({ speaker: 'agent', speakerLabel: 'ch_0' })).toBe('Agent');
    expect(speakerName({ speaker: 'customer', speakerLabel: 'user' })).toBe('Customer');
    expect(speakerName({ speaker: 'unknown', speakerLabel: 'spk_0' })).toBe('Speaker 1');
    expect(speakerName({ speaker: 'unknown', speakerLabel: 'Dr. Lee' })).toBe('Dr. Lee');
    expect(speakerName({ speaker: 'unknown', speakerLabel: null })).toBe('Speaker');
  });

  it('names the hits a list row does not spell out, by time and speaker', () => {
    expect(
      alsoSaid([
        { startMs: 65_000, speaker: 'customer', snippet: '…' },
        { startMs: 160_400, speaker: 'agent', snippet: '…' },
      ]),
    ).toBe('Also said at 1:05 (Customer), 2:40 (Agent)');
  });

  it('says which time a LiveKit history was aligned by', () => {
    expect(alignmentText({ source: 'manifest', recordingStartMs: 1 })).toBe(
      'Aligned by the Egress manifest start',
    );
    expect(alignmentText({ source: 'key', recordingStartMs: 1 })).toBe(
      'Aligned by the time in the file name',
    );
    expect(alignmentText(null)).toBeNull();
  });

  it('quotes a turn in a note with its speaker, its words in quotes, its time and lane', () => {
    expect(quoteText(turns[3]!)).toBe('Customer: “Cancel it now, or I call my lawyer.”');
    expect(notePrefillFor(turns[3]!)).toEqual({
      at_ms: 15_000,
      lane: 'customer',
      text: 'Customer: “Cancel it now, or I call my lawyer.”',
    });
    expect(notePrefillFor(turn(100, 200, 'Hi', 'unknown')).lane).toBe('both');
  });

  it('reads the marked words of a said snippet', () => {
    expect(snippetRuns('…to a «lawyer» now, «lawyer»')).toEqual([
      { text: '…to a ', marked: false },
      { text: 'lawyer', marked: true },
      { text: ' now, ', marked: false },
      { text: 'lawyer', marked: true },
    ]);
    expect(snippetRuns('no marks')).toEqual([{ text: 'no marks', marked: false }]);
  });
});
