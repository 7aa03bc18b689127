/**
 * Reviewing a call by keyboard in web mode on the demo library: R opens the panel, every question
 * answered with 1–9 and ↑/↓, a note pinned with M while the call plays (playback neither pauses nor
 * jumps), Ctrl+Enter submits; after a reload the review, its note marker and the list's review
 * column are there, and GET /reviews.csv has the row.
 */
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import type { FormVersion } from '../../../shared/reviews/form-schema.ts';
import { audioState, useWebApp, waitForAudioTime } from './web-app-harness.ts';

const app = useWebApp();

/** The demo call with the longest recording (minutes long), so it is still playing after the answers. */
function longestRecorded(): CallRow {
  const recorded = app.calls.filter((c) => c.recording !== null);
  const call = recorded.reduce((a, b) => ((b.duration ?? 0) > (a.duration ?? 0) ? b : a));
  if (!call) throw new Error('the demo has no recording');
  return call;
}

const rowOf = (call: CallRow) =>
  app.page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`);

describe('reviewing a call', () => {
  it('answers every question by keyboard, pins a note with M while playing, submits, and finds it all after a reload', async () => {
    await app.open();
    const { page } = app;
    const call = longestRecorded();
    const { forms } = await app.server.call('reviews:forms', {});

    await rowOf(call).click();
    await page.keyboard.press('Enter'); // play
    await waitForAudioTime(page, 0.3);

    await page.keyboard.press('r');
    const panel = page.getByRole('complementary', { name: 'Review' });
    await panel.waitFor();
    const formVersion = await panel.getByRole('combobox', { name: 'Form' }).inputValue();
    const form = forms.find((f) => f.version_id === formVersion) as FormVersion;
    expect(form, `the form ${formVersion} is one of reviews:forms`).toBeDefined();
    const questions = form.sections.flatMap((s) => s.questions).filter((q) => q.type !== 'free_text');
    expect(questions.length).toBeGreaterThan(2);

    // The focus is on the first question; each gets its first option (a scale its top mark) by key.
    const firstGroup = panel.getByRole('radiogroup', { name: questions[0]!.text, exact: true });
    await expect.poll(() => firstGroup.evaluate((g) => g.contains(document.activeElement))).toBe(true);
    for (const [i, question] of questions.entries()) {
      await page.keyboard.press(question.type === 'scale' ? '5' : '1');
      if (i < questions.length - 1) await page.keyboard.press('ArrowDown');
    }
    for (const question of questions) {
      const group = panel.getByRole('radiogroup', { name: question.text, exact: true });
      await expect.poll(() => group.getByRole('radio', { checked: true }).count()).toBe(1);
    }
    const score = panel.getByRole('status', { name: 'Score' });
    await expect.poll(() => score.innerText()).toMatch(/100 %\s*Pass/);

    // M while playing: a note at the playhead; playback neither pauses, nor jumps, nor changes speed.
    const before = await audioState(page);
    expect(before.paused).toBe(false);
    await page.keyboard.press('m');
    const noteText = panel.getByRole('textbox', { name: /^Note at \d+:\d\d$/ });
    await expect.poll(() => noteText.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Disclosure read quickly');
    const after = await audioState(page);
    expect(after.paused).toBe(false);
    expect(after.rate).toBe(before.rate);
    expect(after.currentTime).toBeGreaterThan(before.currentTime);
    expect(after.currentTime - before.currentTime).toBeLessThan(3);
    await page.waitForTimeout(300);
    const later = await audioState(page);
    expect(later.paused).toBe(false);
    expect(later.currentTime).toBeGreaterThan(after.currentTime);
    const pinnedAt = Math.floor(before.currentTime);
    const label = await noteText.getAttribute('aria-label');
    expect(label).toMatch(new RegExp(`^Note at 0:0${pinnedAt}$`));
    await expect
      .poll(() => page.getByRole('button', { name: /^Note at 0:\d\d: Disclosure read quickly$/ }).count())
      .toBe(1);

    // Ctrl+Enter from the note: submitted, with the score frozen.
    await page.keyboard.press('Control+Enter');
    await panel.getByRole('button', { name: 'Reopen review' }).waitFor();
    await expect.poll(() => score.innerText()).toMatch(/100 %\s*Pass.*submitted/s);
    await expect
      .poll(async () => {
        const { reviews } = await app.server.call('reviews:ofCall', { interactionId: call.interaction_id });
        return reviews.map((r) => [r.status, r.score.percentage, r.notes.map((n) => n.text)]);
      })
      .toEqual([['submitted', 100, ['Disclosure read quickly']]]);

    // After a reload: the panel, the submitted review, the list's column, and (playing) the marker.
    await page.reload();
    await rowOf(call).waitFor();
    await expect.poll(() => rowOf(call).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => rowOf(call).locator('.cell-review').innerText()).toBe('Passed 100 %');
    await panel.getByRole('button', { name: 'Reopen review' }).waitFor();
    await expect.poll(() => score.innerText()).toMatch(/100 %\s*Pass/);
    await expect
      .poll(() => panel.getByRole('textbox', { name: /^Note at / }).inputValue())
      .toBe('Disclosure read quickly');
    await page.getByRole('grid', { name: 'Calls' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^Note at 0:\d\d: Disclosure read quickly$/ }).waitFor();

    // The local API exports the submitted review as a CSV row.
    const csv = await (await fetch(`${app.server.url}/reviews.csv`)).text();
    const rows = csv.trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(call.interaction_id);
  });
});
