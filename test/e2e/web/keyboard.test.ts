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
    await app.page.keyboard.type('d ');
    expect(await app.page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('d ');
    expect((await audioState(app.page)).paused).toBe(true);
    expect(await app.page.locator('.download').count()).toBe(0);

    await app.page.keyboard.press('Escape'); // clears the text
    expect(await app.page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('');
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
    for (const key of ['Space', '←', '→', '↑', '↓', 'Enter', '[', ']', 'D', 'E', '/', '?']) {
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
});
