/** Keyboard first: every shortcut a reviewer uses, against the real demo server. */
import { describe, expect, it } from 'vitest';
import { audioState, expectedFileName, waitForAudioTime, waitForFile, useWebApp } from './web-app-harness.ts';

const app = useWebApp({ openEachTest: true });

/** The interaction id of the row the list shows as selected. */
const selectedId = () =>
  app.page
    .locator('[role="row"][aria-selected="true"]')
    .getAttribute('data-interaction-id', { timeout: 2000 });
const focusedName = () => app.page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('keyboard shortcuts', () => {
  it('↓ and ↑ move the selection through the list, keeping it on screen; Enter plays it', async () => {
    expect(await selectedId()).toBe(app.calls[0]?.interaction_id);
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(app.calls[2]?.interaction_id);
    await app.page.keyboard.press('ArrowUp');
    await expect.poll(selectedId).toBe(app.calls[1]?.interaction_id);

    // Past the bottom of the window: the selected row scrolls into view.
    for (let i = 1; i < app.calls.length - 1; i++) await app.page.keyboard.press('ArrowDown');
    const last = app.calls.at(-1);
    await expect.poll(selectedId).toBe(last?.interaction_id);
    const row = app.page.locator('[role="row"][aria-selected="true"]');
    const scroller = await app.page.locator('.call-scroll').boundingBox();
    const box = await row.boundingBox();
    expect(
      box && scroller && box.y >= scroller.y - 1 && box.y + box.height <= scroller.y + scroller.height + 1,
    ).toBe(true);

    // Enter plays the selected call (the last one may have no recording: go up to one that has).
    const target = [...app.calls].reverse().findIndex((c) => c.recording !== null);
    for (let i = 0; i < target; i++) await app.page.keyboard.press('ArrowUp');
    await app.page.keyboard.press('Enter');
    await waitForAudioTime(app.page, 0.3);
    const played = [...app.calls].reverse()[target];
    expect((await audioState(app.page)).src).toContain(encodeURIComponent(played?.recording?.key ?? '?'));
  });

  it('Space pauses and resumes; ← and → skip 5 s', async () => {
    const index = app.calls.findIndex((c) => c.recording !== null);
    for (let i = 0; i < index; i++) await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Space'); // nothing loaded yet: Space plays the selected call
    await waitForAudioTime(app.page, 0.3);
    await app.page.keyboard.press('Space');
    await expect.poll(async () => (await audioState(app.page)).paused).toBe(true);
    await app.page.getByRole('button', { name: 'Play', exact: true }).waitFor();

    const at = (await audioState(app.page)).currentTime;
    await app.page.keyboard.press('ArrowRight');
    expect((await audioState(app.page)).currentTime).toBeCloseTo(at + 5, 1);
    await app.page.keyboard.press('ArrowLeft');
    expect((await audioState(app.page)).currentTime).toBeCloseTo(at, 1);

    await app.page.keyboard.press('Space');
    await expect.poll(async () => (await audioState(app.page)).paused).toBe(false);
    await waitForAudioTime(app.page, at + 0.3);
  });

  it('[ and ] step the speed down and up between 0.5× and 2×', async () => {
    await app.page.keyboard.press('Enter');
    await waitForAudioTime(app.page, 0.1);
    const speed = app.page.getByRole('combobox', { name: 'Speed' });
    await app.page.keyboard.press(']');
    await expect.poll(() => speed.inputValue()).toBe('1.25');
    expect((await audioState(app.page)).rate).toBe(1.25);
    for (let i = 0; i < 6; i++) await app.page.keyboard.press(']');
    await expect.poll(() => speed.inputValue()).toBe('2');
    for (let i = 0; i < 9; i++) await app.page.keyboard.press('[');
    await expect.poll(() => speed.inputValue()).toBe('0.5');
    expect((await audioState(app.page)).rate).toBe(0.5);
  });

  it('/ focuses the search; typing there does not trigger shortcuts; Escape leaves it', async () => {
    await app.page.keyboard.press('/');
    expect(await focusedName()).toBe('Search');
    // Letters that are shortcuts elsewhere (d: download, space: play) are just text here.
    await app.page.keyboard.type('d zz');
    expect(await app.page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('d zz');
    expect((await audioState(app.page)).paused).toBe(true);
    expect(await app.page.locator('.download').count()).toBe(0);

    await expect
      .poll(() => app.page.locator('.call-scroll [role="row"]').count())
      .toBeLessThan(app.calls.length);
    await app.page.keyboard.press('Escape'); // one press clears the text, and the list with it
    expect(await app.page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('');
    await expect.poll(() => app.page.locator('.call-scroll [role="row"]').count()).toBe(app.calls.length);
    expect(await focusedName()).toBe('Search');
    await app.page.keyboard.press('Escape'); // leaves the box for the list
    expect(await focusedName()).toBe('Calls');
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(app.calls[1]?.interaction_id);
  });

  it('/, type, Enter: find and play a call without touching the mouse', async () => {
    const target = app.calls.filter((c) => c.recording !== null && c.customer_name !== null).at(-1);
    if (!target?.customer_name) throw new Error('no recorded call');
    await app.page.keyboard.press('/');
    await app.page.keyboard.type(target.customer_name);
    await expect.poll(() => app.page.locator('.call-scroll [role="row"]').count()).toBe(1);
    await app.page.keyboard.press('Enter');
    await waitForAudioTime(app.page, 0.3);
    expect((await audioState(app.page)).src).toContain(encodeURIComponent(target.recording?.key ?? '?'));
  });

  it('D downloads the selected call', async () => {
    const index = app.calls.findIndex((c) => c.recording !== null && c.customer_name !== null);
    const call = app.calls[index];
    if (!call?.recording || !call.customer_name) throw new Error('no recorded call');
    for (let i = 0; i < index; i++) await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('D');
    await waitForFile(app.server.downloadsDir, expectedFileName(call.customer_name, call.recording.key));
  });

  it('? lists every shortcut in a dialog; Escape closes it and the shortcuts work again', async () => {
    await app.page.keyboard.press('?');
    const dialog = app.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    for (const key of ['Space', '←', '→', '↑', '↓', 'Enter', 'N', '[', ']', 'D', 'E', '/', '?']) {
      expect(text, `the dialog lists ${key}`).toContain(key);
    }
    // While it is open the page behind does not react to shortcuts.
    await app.page.keyboard.press('ArrowDown');
    expect(await selectedId()).toBe(app.calls[0]?.interaction_id);
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(app.calls[1]?.interaction_id);
  });

  it('the grid is one Tab stop: Tab reaches it once and one more Tab leaves it, ticked rows or not', async () => {
    const grid = app.page.getByRole('grid', { name: 'Calls' });
    // A ticked row puts its checkbox on screen as "checked": still not a stop of its own.
    await app.page.locator('.call-scroll [role="row"]').nth(1).getByRole('checkbox').click();
    expect(await focusedName()).toBe('Calls'); // a click in the grid keeps the keyboard on the grid
    await app.page.getByRole('button', { name: 'Download selected (1)' }).focus();
    await app.page.keyboard.press('Tab');
    expect(await focusedName()).toBe('Calls');
    await app.page.keyboard.press('Tab');
    const after = await app.page.evaluate(() => ({
      inGrid: document.activeElement?.closest('[role="grid"]') !== null,
      tag: document.activeElement?.tagName,
    }));
    expect(after.inGrid).toBe(false);
    expect(after.tag).not.toBe('BODY');
    // And back: Shift+Tab lands on the grid itself, not on a row's checkbox.
    await app.page.keyboard.press('Shift+Tab');
    expect(await focusedName()).toBe('Calls');
    expect(await grid.getAttribute('aria-activedescendant')).toBe('call-row-1');
  });

  it('Space in the grid ticks the selected row; clicking a row’s play button keeps the focus on the grid', async () => {
    const grid = app.page.getByRole('grid', { name: 'Calls' });
    await grid.focus();
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Space');
    const second = app.page.locator(`[role="row"][data-interaction-id="${app.calls[1]?.interaction_id}"]`);
    expect(await second.getByRole('checkbox').isChecked()).toBe(true);
    await app.page.getByRole('button', { name: 'Download selected (1)' }).waitFor();
    expect((await audioState(app.page)).src).toBe(''); // Space in the list did not start playback

    const index = app.calls.findIndex((c) => c.recording !== null);
    const row = app.page.locator(`[role="row"][data-interaction-id="${app.calls[index]?.interaction_id}"]`);
    await row.hover();
    await row.getByRole('button', { name: /^Play / }).click();
    await waitForAudioTime(app.page, 0.2);
    expect(await focusedName()).toBe('Calls');
    await app.page.keyboard.press('ArrowDown'); // and the keys still work from there
    await expect.poll(selectedId).toBe(app.calls[index + 1]?.interaction_id);
  });

  it('N plays the next call, skipping calls without a recording; so does the Next call button', async () => {
    const playable = app.calls.map((c, i) => (c.recording !== null ? i : -1)).filter((i) => i >= 0);
    const [first, second, third] = playable;
    if (first === undefined || second === undefined || third === undefined)
      throw new Error('too few recordings');
    for (let i = 0; i < first; i++) await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Enter');
    await waitForAudioTime(app.page, 0.2);
    const srcOf = (i: number) => encodeURIComponent(app.calls[i]?.recording?.key ?? '?');

    await app.page.keyboard.press('n');
    await expect.poll(async () => (await audioState(app.page)).src).toContain(srcOf(second));
    await waitForAudioTime(app.page, 0.2);
    await expect.poll(selectedId).toBe(app.calls[second]?.interaction_id);

    await app.page.getByRole('button', { name: 'Next call' }).click();
    await expect.poll(async () => (await audioState(app.page)).src).toContain(srcOf(third));
    expect((await audioState(app.page)).paused).toBe(false);

    // Past rows without a recording, too: the last recorded call is reached, never a silent row.
    const last = playable.at(-1) ?? 0;
    for (let i = 3; i < playable.length; i++) await app.page.keyboard.press('n');
    await expect.poll(async () => (await audioState(app.page)).src).toContain(srcOf(last));
  });

  it('the speed chosen survives a reload, and the first play after it runs at that speed', async () => {
    await app.page.getByRole('combobox', { name: 'Speed' }).selectOption('1.5');
    await app.page.reload();
    await app.page.getByRole('grid', { name: 'Calls' }).getByRole('row').nth(1).waitFor();
    expect(await app.page.getByRole('combobox', { name: 'Speed' }).inputValue()).toBe('1.5');
    const index = app.calls.findIndex((c) => c.recording !== null);
    for (let i = 0; i < index; i++) await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('Enter');
    await waitForAudioTime(app.page, 0.3);
    expect((await audioState(app.page)).rate).toBe(1.5);
  });

  it('the seek bar’s arrows step 5 s and it announces whole seconds', async () => {
    const call = app.calls.find((c) => c.recording !== null && (c.duration ?? 0) >= 12);
    if (!call) throw new Error('no recording of 12 s or more');
    await app.page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`).dblclick();
    await waitForAudioTime(app.page, 0.3);
    await app.page.getByRole('button', { name: 'Pause', exact: true }).click();
    const seek = app.page.getByRole('slider', { name: 'Seek' });
    await seek.focus();
    const at = (await audioState(app.page)).currentTime;
    await app.page.keyboard.press('ArrowRight');
    expect((await audioState(app.page)).currentTime).toBeCloseTo(at + 5, 1);
    await app.page.keyboard.press('ArrowLeft');
    expect((await audioState(app.page)).currentTime).toBeCloseTo(at, 1);
    await app.page.keyboard.press('ArrowRight');
    await app.page.keyboard.press('ArrowRight');
    await expect.poll(() => seek.getAttribute('aria-valuetext')).toMatch(/^\d+ seconds? of \d+ seconds?$/);
    expect(await seek.getAttribute('aria-valuetext')).toContain(`${Math.floor(at + 10)} seconds of`);
    // Its value has no floating-point noise (0.7, not 0.7000000000000001).
    expect(await seek.inputValue()).toMatch(/^\d+(\.\d)?$/);
  });
});
