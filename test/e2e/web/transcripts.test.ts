/**
 * Transcripts in web mode on the demo library (its calls have exact transcripts): the panel's
 * highlighted turn follows playback, a click on a turn plays from it, T shows and hides the panel,
 * search within the call steps through its hits, a turn is quoted in a review note, the panel
 * keeps off the player's controls on a small dark window, and `said:` in the search box finds the
 * call with its snippet and Enter plays from the hit.
 */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { formatClock } from '../../../renderer/src/calls/call-format.ts';
import {
  alsoSaid,
  currentTurnIndex,
  findMatches,
  speakerName,
  type TranscriptView,
} from '../../../renderer/src/transcripts/transcript-turns.ts';
import { audioState, useWebApp, waitForAudioTime } from './web-app-harness.ts';

const app = useWebApp();

type Transcribed = { call: CallRow; transcript: TranscriptView };

/** Every demo call with a recording and a transcript, as main serves them. */
async function transcribedCalls(): Promise<Transcribed[]> {
  const found: Transcribed[] = [];
  for (const call of app.calls.filter((c) => c.recording !== null)) {
    const transcript = await app.server.call('transcripts:get', { interactionId: call.interaction_id });
    if (transcript !== null && transcript.segments.length > 0) found.push({ call, transcript });
  }
  return found;
}

/** A short demo call with a few turns, so playback crosses several of them within seconds. */
async function shortCallWithTurns(): Promise<Transcribed> {
  const candidates = (await transcribedCalls()).filter(
    ({ transcript }) => transcript.segments.length >= 4 && transcript.segments[2]!.startMs < 8000,
  );
  candidates.sort((a, b) => (a.call.duration ?? 0) - (b.call.duration ?? 0));
  const chosen = candidates[0];
  if (!chosen) throw new Error('the demo has no short call with four turns or more in its transcript');
  return chosen;
}

const rowOf = (call: CallRow) =>
  app.page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`);
const panel = () => app.page.getByRole('complementary', { name: 'Transcript' });
const currentTurn = () => panel().locator('button[aria-current="true"]');
/** The index of the turn the panel marks as being spoken, or null when none is. */
async function markedTurn(): Promise<number | null> {
  if ((await currentTurn().count()) === 0) return null;
  return Number(await currentTurn().locator('xpath=..').getAttribute('data-turn'));
}
const turnButton = (index: number): Locator =>
  panel().locator(`li[data-turn="${index}"]`).getByRole('button').first();

describe('the transcript panel', () => {
  it('follows playback, plays from a clicked turn, and T shows and hides it', async () => {
    const { call, transcript } = await shortCallWithTurns();
    const segments = transcript.segments;
    await app.open();
    const { page } = app;

    await rowOf(call).click();
    await page.keyboard.press('t');
    await panel().waitFor();
    await expect.poll(() => panel().getByRole('listitem').count()).toBe(segments.length);
    // Each turn names its speaker as the waveform's lanes do, and its time.
    const first = segments[0]!;
    const firstName = await turnButton(0).innerText();
    expect(firstName).toContain(speakerName(first));
    expect(firstName).toContain(formatClock(first.startMs / 1000));
    expect(firstName).toContain(first.text);
    expect(await currentTurn().count()).toBe(0); // nothing plays yet

    // Playing: the marked turn moves on with the playhead, through the third turn at least.
    await page.getByRole('grid', { name: 'Calls' }).focus();
    await page.keyboard.press('Enter');
    await waitForAudioTime(page, segments[2]!.startMs / 1000 + 0.2, 15_000);
    await expect.poll(markedTurn).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const pausedAt = (await audioState(page)).currentTime;
    await expect.poll(markedTurn).toBe(currentTurnIndex(segments, pausedAt * 1000));

    // A click on a turn plays from its start, and marks it.
    const target = 1;
    const start = segments[target]!.startMs / 1000;
    await turnButton(target).click();
    await expect
      .poll(async () => (await audioState(page)).currentTime, { timeout: 5000 })
      .toBeGreaterThanOrEqual(start - 0.05);
    const afterClick = await audioState(page);
    expect(afterClick.currentTime).toBeLessThan(start + 1.5);
    expect(afterClick.paused).toBe(false);
    await expect.poll(markedTurn).toBe(target);
    await page.waitForTimeout(600); // following the playhead along…
    // …never takes the focus from where the reader left it (the turn they clicked).
    expect(await turnButton(target).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.evaluate(() => document.querySelector('audio')?.pause());
    await expect
      .poll(markedTurn)
      .toBe(currentTurnIndex(segments, (await audioState(page)).currentTime * 1000));

    // T while typing in the panel's search box is a letter, not the shortcut.
    const search = panel().getByRole('searchbox', { name: 'Search transcript' });
    await search.fill('');
    await search.pressSequentially('t');
    expect(await search.inputValue()).toBe('t');
    expect(await panel().isVisible()).toBe(true);

    // From the list, T hides the panel and shows it again; the player's toggle says which.
    await page.getByRole('grid', { name: 'Calls' }).focus();
    const toggle = page.getByRole('button', { name: 'Transcript', exact: true });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('t');
    await expect.poll(() => panel().count()).toBe(0);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('T');
    await panel().waitFor();
    await toggle.click();
    await expect.poll(() => panel().count()).toBe(0);
  });

  it('steps through the hits of a search within the call: Enter, Shift+Enter and the buttons', async () => {
    // A word said at least twice in one call.
    let chosen: { call: CallRow; word: string; count: number } | null = null;
    for (const { call, transcript } of await transcribedCalls()) {
      const words = transcript.segments.flatMap((s) => s.text.toLowerCase().match(/[a-z]{4,}/g) ?? []);
      for (const word of new Set(words)) {
        const count = findMatches(transcript.segments, word).length;
        if (count >= 2 && (chosen === null || count > chosen.count)) chosen = { call, word, count };
      }
    }
    if (chosen === null) throw new Error('no demo transcript says a word twice');
    const { call, word, count } = chosen;
    await app.open();
    const { page } = app;
    await rowOf(call).click();
    await page.keyboard.press('t');
    const search = panel().getByRole('searchbox', { name: 'Search transcript' });
    await search.fill(word.toUpperCase()); // case ignored
    const counter = panel().getByRole('status');
    await expect.poll(() => counter.innerText()).toBe(`1 of ${count}`);
    expect(await panel().locator('mark').count()).toBe(count);
    const activeMark = panel().locator('mark.is-active-match');
    expect((await activeMark.innerText()).toLowerCase()).toBe(word);

    await search.press('Enter');
    await expect.poll(() => counter.innerText()).toBe(`2 of ${count}`);
    await search.press('Shift+Enter');
    await expect.poll(() => counter.innerText()).toBe(`1 of ${count}`);
    await search.press('Shift+Enter'); // round to the last
    await expect.poll(() => counter.innerText()).toBe(`${count} of ${count}`);
    await panel().getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => counter.innerText()).toBe(`1 of ${count}`);
    await panel().getByRole('button', { name: 'Next match' }).click();
    await panel().getByRole('button', { name: 'Previous match' }).click();
    await expect.poll(() => counter.innerText()).toBe(`1 of ${count}`);
    // Enter in the box stepped hits: it never played the call.
    expect((await audioState(page)).src).toBe('');

    await search.fill('zzqx');
    await expect.poll(() => counter.innerText()).toBe('No matches');
    expect(await panel().getByRole('button', { name: 'Next match' }).isDisabled()).toBe(true);
  });

  it('quotes a turn in a review note: its words in quotes, its speaker and its time', async () => {
    const { call, transcript } = await shortCallWithTurns();
    const index = transcript.segments.findIndex((s, i) => i > 0 && s.startMs >= 1000);
    const segment = transcript.segments[index]!;
    await app.open();
    const { page } = app;
    await rowOf(call).click();
    await page.keyboard.press('t');
    await panel().waitFor();
    // The review panel is closed: quoting opens it and writes the note once the review is loaded.
    await panel().locator(`li[data-turn="${index}"]`).getByRole('button', { name: 'Quote in note' }).click();
    const review = page.getByRole('complementary', { name: 'Review' });
    await review.waitFor();
    const time = formatClock(segment.startMs / 1000);
    const note = review.getByRole('textbox', { name: `Note at ${time}` });
    await expect.poll(() => note.inputValue()).toBe(`${speakerName(segment)}: “${segment.text}”`);
    // Both panels are in view side by side, neither over the other.
    const [a, b] = [await panel().boundingBox(), await review.boundingBox()];
    expect(a && b && (a.x + a.width <= b.x + 1 || b.x + b.width <= a.x + 1)).toBe(true);
  });

  it('at 720×480 in dark it stays clear of the player’s controls, and says when a call has none', async () => {
    const { call } = await shortCallWithTurns();
    let untranscribed: CallRow | null = null;
    for (const other of app.calls) {
      if ((await app.server.call('transcripts:get', { interactionId: other.interaction_id })) === null) {
        untranscribed = other;
        break;
      }
    }
    await app.open();
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 720, height: 480 });
    if (untranscribed === null) throw new Error('every demo call has a transcript: none to show "none" with');
    // Before anything plays the panel shows the selected call: this one has no transcript.
    await rowOf(untranscribed).click();
    await page.keyboard.press('t');
    await expect.poll(() => panel().innerText()).toContain('No transcript for this call');
    await page.keyboard.press('t');
    await rowOf(call).click();
    await page.keyboard.press('Enter');
    await waitForAudioTime(page, 0.2);
    await page.keyboard.press('t');
    await panel().waitFor();
    await expect.poll(() => currentTurn().count()).toBe(1);
    expect(await panel().getByRole('searchbox', { name: 'Search transcript' }).isVisible()).toBe(true);
    // Every transport control is the topmost thing at its centre: nothing of the panel lies over it.
    for (const name of ['Pause', 'Back 5 seconds', 'Forward 5 seconds', 'Seek', 'Speed', 'Transcript']) {
      const control = page
        .getByRole('region', { name: 'Player' })
        .getByRole(name === 'Seek' ? 'slider' : name === 'Speed' ? 'combobox' : 'button', {
          name,
          exact: true,
        });
      await control.scrollIntoViewIfNeeded();
      const uncovered = await control.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return top !== null && (el === top || el.contains(top));
      });
      expect(uncovered, `${name} is uncovered`).toBe(true);
    }
    // Dark: the panel is drawn on the dark surface, its text light.
    const colours = await panel().evaluate((el) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, text: style.color };
    });
    expect(luminance(colours.background)).toBeLessThan(0.2);
    expect(luminance(colours.text)).toBeGreaterThan(0.6);
  });
});

describe('said: in the search box', () => {
  it('finds the call with its snippet, and Enter plays from the hit', async () => {
    // A word a customer says well into one call and in no other.
    const all = await transcribedCalls();
    const saidIn = (word: string) =>
      all.filter(({ transcript }) => findMatches(transcript.segments, word).length > 0);
    let chosen: { call: CallRow; word: string; startMs: number } | null = null;
    for (const { call, transcript } of all) {
      for (const segment of transcript.segments) {
        if (segment.startMs < 2000) continue;
        for (const word of segment.text.match(/[A-Za-z]{6,}/g) ?? []) {
          if (chosen === null && saidIn(word).length === 1) chosen = { call, word, startMs: segment.startMs };
        }
      }
    }
    if (chosen === null) throw new Error('no word of the demo transcripts is said in one call only');
    const { call, word } = chosen;
    const served = await app.server.call('recordings:list', { said: word });
    expect(served.rows.map((r) => r.interaction_id)).toEqual([call.interaction_id]);
    const hit = served.rows[0]!.said![0]!;

    await app.open();
    const { page } = app;
    const box = page.getByRole('searchbox', { name: 'Search' });
    await box.fill(`said:${word.toLowerCase()}`);
    const grid = page.getByRole('grid', { name: 'Calls' });
    await expect.poll(() => grid.locator('[role="row"][data-interaction-id]').count()).toBe(1);
    // The chip says what is searched, and the row where it was said: time, speaker, the word marked.
    expect(await page.getByRole('button', { name: 'Clear the said filter' }).isVisible()).toBe(true);
    const line = rowOf(call).locator('.cell-said');
    expect(await line.innerText()).toContain(formatClock(hit.startMs / 1000));
    expect(await line.innerText()).toContain(speakerName({ speaker: hit.speaker, speakerLabel: null }));
    expect((await line.locator('mark').first().innerText()).toLowerCase()).toBe(word.toLowerCase());

    // Enter in the box plays the call from the hit (the list's Enter passes through the box).
    await box.press('Enter');
    await expect
      .poll(async () => (await audioState(page)).currentTime, { timeout: 8000 })
      .toBeGreaterThanOrEqual(hit.startMs / 1000 - 0.05);
    const playing = await audioState(page);
    expect(playing.paused).toBe(false);
    expect(playing.currentTime).toBeLessThan(hit.startMs / 1000 + 1.5);

    // Combined with free text: a name that is not the call's finds nothing, the customer's finds it.
    await box.fill(`Zebedee said:${word}`);
    await expect.poll(() => grid.locator('[role="row"][data-interaction-id]').count()).toBe(0);
    await box.fill(`${call.customer_name ?? ''} said:${word}`);
    await expect.poll(() => grid.locator('[role="row"][data-interaction-id]').count()).toBe(1);

    // The chip clears the said filter and the box keeps the free text.
    await page.getByRole('button', { name: 'Clear the said filter' }).click();
    await expect.poll(() => box.inputValue()).toBe(call.customer_name ?? '');
    expect(await page.getByRole('button', { name: 'Clear the said filter' }).count()).toBe(0);
    expect(await rowOf(call).locator('.cell-said').count()).toBe(0);
  });
  it('says how many more places in the call the words were said, and when', async () => {
    // A word said in several turns of one call: the row spells out the best hit and counts the rest.
    let chosen: { call: CallRow; word: string } | null = null;
    for (const { call, transcript } of await transcribedCalls()) {
      for (const segment of transcript.segments) {
        for (const word of segment.text.toLowerCase().match(/[a-z]{5,}/g) ?? []) {
          const turns = transcript.segments.filter((s) => findMatches([s], word).length > 0).length;
          if (chosen === null && turns >= 3) chosen = { call, word };
        }
      }
    }
    if (chosen === null) throw new Error('no demo transcript says a word in three turns');
    const { call, word } = chosen;
    const served = await app.server.call('recordings:list', { said: word, search: call.interaction_id });
    const hits = served.rows.find((r) => r.interaction_id === call.interaction_id)!.said!;
    expect(hits.length).toBeGreaterThanOrEqual(2);

    await app.open();
    const { page } = app;
    await page.getByRole('searchbox', { name: 'Search' }).fill(`said:${word} ${call.interaction_id}`);
    const more = rowOf(call).locator('.cell-said .said-more');
    await expect.poll(() => more.count()).toBe(1);
    expect(await more.innerText()).toBe(`+${hits.length - 1} more`);
    expect(await more.getAttribute('title')).toBe(alsoSaid(hits.slice(1)));
    expect(alsoSaid(hits.slice(1))).toContain(formatClock(hits[1]!.startMs / 1000));
  });
});

/** Relative luminance (0 black … 1 white) of a CSS rgb() colour. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => Number(v) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}
