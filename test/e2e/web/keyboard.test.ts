/** Keyboard first: every shortcut a reviewer uses, against the real demo server. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import {
  audioState,
  buildRendererIfStale,
  type DemoServer,
  expectedFileName,
  launchChromium,
  openApp,
  startDemoServer,
  waitForAudioTime,
  waitForFile,
} from './web-app-harness.ts';

let server: DemoServer;
let browser: Browser;
let calls: CallRow[];
let page: Page;
let errors: string[];

beforeAll(async () => {
  await buildRendererIfStale();
  [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  calls = await server.allCalls();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  ({ page, errors } = await openApp(browser, server));
});

afterEach(async () => {
  expect(errors, 'the page logged errors').toEqual([]);
  await page.context().close();
});

/** The interaction id of the row the list shows as selected. */
const selectedId = () =>
  page.locator('[role="row"][aria-selected="true"]').getAttribute('data-interaction-id', { timeout: 2000 });
const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);

describe('keyboard shortcuts', () => {
  it('↓ and ↑ move the selection through the list, keeping it on screen; Enter plays it', async () => {
    expect(await selectedId()).toBe(calls[0]?.interaction_id);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(calls[2]?.interaction_id);
    await page.keyboard.press('ArrowUp');
    await expect.poll(selectedId).toBe(calls[1]?.interaction_id);

    // Past the bottom of the window: the selected row scrolls into view.
    for (let i = 1; i < calls.length - 1; i++) await page.keyboard.press('ArrowDown');
    const last = calls.at(-1);
    await expect.poll(selectedId).toBe(last?.interaction_id);
    const row = page.locator('[role="row"][aria-selected="true"]');
    const scroller = await page.locator('.call-scroll').boundingBox();
    const box = await row.boundingBox();
    expect(
      box && scroller && box.y >= scroller.y - 1 && box.y + box.height <= scroller.y + scroller.height + 1,
    ).toBe(true);

    // Enter plays the selected call (the last one may have no recording: go up to one that has).
    const target = [...calls].reverse().findIndex((c) => c.recording !== null);
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await waitForAudioTime(page, 0.3);
    const played = [...calls].reverse()[target];
    expect((await audioState(page)).src).toContain(encodeURIComponent(played?.recording?.key ?? '?'));
  });

  it('Space pauses and resumes; ← and → skip 5 s', async () => {
    const index = calls.findIndex((c) => c.recording !== null);
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space'); // nothing loaded yet: Space plays the selected call
    await waitForAudioTime(page, 0.3);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await audioState(page)).paused).toBe(true);
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();

    const at = (await audioState(page)).currentTime;
    await page.keyboard.press('ArrowRight');
    expect((await audioState(page)).currentTime).toBeCloseTo(at + 5, 1);
    await page.keyboard.press('ArrowLeft');
    expect((await audioState(page)).currentTime).toBeCloseTo(at, 1);

    await page.keyboard.press('Space');
    await expect.poll(async () => (await audioState(page)).paused).toBe(false);
    await waitForAudioTime(page, at + 0.3);
  });

  it('[ and ] step the speed down and up between 0.5× and 2×', async () => {
    await page.keyboard.press('Enter');
    await waitForAudioTime(page, 0.1);
    const speed = page.getByRole('combobox', { name: 'Speed' });
    await page.keyboard.press(']');
    await expect.poll(() => speed.inputValue()).toBe('1.25');
    expect((await audioState(page)).rate).toBe(1.25);
    for (let i = 0; i < 6; i++) await page.keyboard.press(']');
    await expect.poll(() => speed.inputValue()).toBe('2');
    for (let i = 0; i < 9; i++) await page.keyboard.press('[');
    await expect.poll(() => speed.inputValue()).toBe('0.5');
    expect((await audioState(page)).rate).toBe(0.5);
  });

  it('/ focuses the search; typing there does not trigger shortcuts; Escape leaves it', async () => {
    await page.keyboard.press('/');
    expect(await focusedName()).toBe('Search');
    // Letters that are shortcuts elsewhere (d: download, space: play) are just text here.
    await page.keyboard.type('d ');
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('d ');
    expect((await audioState(page)).paused).toBe(true);
    expect(await page.locator('.download').count()).toBe(0);

    await page.keyboard.press('Escape'); // clears the text
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('');
    await page.keyboard.press('Escape'); // leaves the box for the list
    expect(await focusedName()).toBe('Calls');
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(calls[1]?.interaction_id);
  });

  it('/, type, Enter: find and play a call without touching the mouse', async () => {
    const target = calls.filter((c) => c.recording !== null && c.customer_name !== null).at(-1);
    if (!target?.customer_name) throw new Error('no recorded call');
    await page.keyboard.press('/');
    await page.keyboard.type(target.customer_name);
    await expect.poll(() => page.locator('.call-scroll [role="row"]').count()).toBe(1);
    await page.keyboard.press('Enter');
    await waitForAudioTime(page, 0.3);
    expect((await audioState(page)).src).toContain(encodeURIComponent(target.recording?.key ?? '?'));
  });

  it('D downloads the selected call', async () => {
    const index = calls.findIndex((c) => c.recording !== null && c.customer_name !== null);
    const call = calls[index];
    if (!call?.recording || !call.customer_name) throw new Error('no recorded call');
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('D');
    await waitForFile(server.downloadsDir, expectedFileName(call.customer_name, call.recording.key));
  });

  it('? lists every shortcut in a dialog; Escape closes it and the shortcuts work again', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    for (const key of ['Space', '←', '→', '↑', '↓', 'Enter', '[', ']', 'D', '/', '?']) {
      expect(text, `the dialog lists ${key}`).toContain(key);
    }
    // While it is open the page behind does not react to shortcuts.
    await page.keyboard.press('ArrowDown');
    expect(await selectedId()).toBe(calls[0]?.interaction_id);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(calls[1]?.interaction_id);
  });
});
