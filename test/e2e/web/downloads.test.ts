/** Downloads against the real demo server: the right bytes under the right name, bulk, no recording. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { expectedFileName, waitForFile, useWebApp } from './web-app-harness.ts';

type Recorded = CallRow & { customer_name: string; recording: NonNullable<CallRow['recording']> };

const app = useWebApp({ openEachTest: true });

const isRecorded = (call: CallRow | undefined): call is Recorded =>
  call !== undefined && call.recording !== null && call.customer_name !== null;
const rowOf = (call: CallRow) =>
  app.page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`);
/** Files in the downloads folder that are not hidden partial files. */
const savedFiles = () => readdirSync(app.server.downloadsDir).filter((name) => !name.startsWith('.'));

describe('downloads', () => {
  it('saves the exact bytes under {customer}_{phone}_{date}.mp4, and lists it as saved', async () => {
    // A name with non-ASCII letters, if the demo has one: it must survive into the file name.
    const call =
      app.calls.filter(isRecorded).find((c) => /[^\x20-\x7e]/.test(c.customer_name)) ??
      app.calls.find(isRecorded);
    if (!isRecorded(call)) throw new Error('the demo has no recorded call with a customer name');
    const name = expectedFileName(call.customer_name, call.recording.key);

    await rowOf(call).click();
    await app.page.getByRole('button', { name: 'Download', exact: true }).click();

    const path = await waitForFile(app.server.downloadsDir, name);
    // The final name only ever holds the complete file.
    expect(readFileSync(path).equals(await app.server.mediaBytes(call.recording.key))).toBe(true);
    // One notice for the action, updated in place to how it ended.
    await expect.poll(() => app.page.locator('.notices .notice').allInnerTexts()).toEqual([`Saved ${name}`]);
    await app.page.getByRole('button', { name: 'Downloads', exact: true }).click();
    const panel = app.page.getByRole('complementary', { name: 'Downloads' });
    await expect.poll(() => panel.locator('.download-finished').innerText()).toContain(name);
    await expect.poll(() => panel.locator('.download-finished').innerText()).toContain('Saved');
    // Web mode cannot open a folder: the panel says where the file is instead.
    expect(await panel.getByRole('button', { name: 'Show in folder' }).count()).toBe(0);
    expect(await panel.locator('.download-path').innerText()).toContain(name);
    await expect.poll(savedFiles).toEqual([name]);
  });

  it('downloads a ticked range of calls together (Shift-click), each under its own name', async () => {
    const start = app.calls.findIndex((_, i) => app.calls.slice(i, i + 3).every(isRecorded));
    const three = app.calls.slice(start, start + 3).filter(isRecorded);
    expect(three).toHaveLength(3);
    await rowOf(three[0] as Recorded)
      .getByRole('checkbox')
      .click();
    await rowOf(three[2] as Recorded)
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] });
    for (const call of three) expect(await rowOf(call).getByRole('checkbox').isChecked()).toBe(true);

    await app.page.getByRole('button', { name: 'Download selected (3)' }).click();
    for (const call of three) {
      const name = expectedFileName(call.customer_name, call.recording.key);
      // Already in the folder or saved now: never a second copy.
      const path = await waitForFile(app.server.downloadsDir, name);
      expect(readFileSync(path).equals(await app.server.mediaBytes(call.recording.key))).toBe(true);
    }
    const panel = app.page.getByRole('complementary', { name: 'Downloads' });
    await expect.poll(() => panel.locator('.download-finished').count()).toBeGreaterThanOrEqual(3);
  });

  it('downloading a saved call again says where it is instead of writing a "(2)" copy', async () => {
    const call = app.calls.filter(isRecorded).at(-1);
    if (!isRecorded(call)) throw new Error('no recorded call');
    const name = expectedFileName(call.customer_name, call.recording.key);
    await rowOf(call).click();
    await app.page.keyboard.press('d');
    await waitForFile(app.server.downloadsDir, name);
    await expect.poll(() => app.page.locator('.notices .notice').allInnerTexts()).toEqual([`Saved ${name}`]);
    const before = savedFiles();

    await app.page.keyboard.press('d');
    const notice = app.page.getByRole('status').locator('.notice').filter({ hasText: 'Already saved' });
    await expect.poll(() => notice.innerText()).toContain(`Already saved: ${name}`);
    // Web mode cannot open a folder: the notice says where the file is.
    expect(await notice.innerText()).toContain(`${app.server.downloadsDir}/${name}`);
    await app.page.waitForTimeout(500);
    expect(savedFiles()).toEqual(before);
    expect(savedFiles().some((file) => file.includes('(2)'))).toBe(false);
    const bytes = await app.server.mediaBytes(call.recording.key);
    expect(readFileSync(`${app.server.downloadsDir}/${name}`).equals(bytes)).toBe(true);
  });

  it('a bulk download is one notice, counting calls already saved and calls without a recording', async () => {
    const recorded = app.calls.filter(isRecorded).slice(0, 2);
    const without = app.calls.find((c) => c.recording === null);
    if (recorded.length < 2 || !without) throw new Error('the demo needs two recorded calls and one without');
    // The first is on disk already; the second is not.
    const first = recorded[0] as Recorded;
    await rowOf(first).click();
    await app.page.keyboard.press('d');
    await waitForFile(app.server.downloadsDir, expectedFileName(first.customer_name, first.recording.key));
    await expect.poll(() => app.page.locator('.notices .notice').count()).toBe(1);
    const existing = new Set(savedFiles());

    for (const call of [...recorded, without]) await rowOf(call).getByRole('checkbox').click();
    await app.page.getByRole('button', { name: 'Download selected (3)' }).click();
    const freshName = expectedFileName(
      (recorded[1] as Recorded).customer_name,
      (recorded[1] as Recorded).recording.key,
    );
    const expected = existing.has(freshName)
      ? '2 already saved. 1 of 3 calls has no recording.'
      : 'Saved 1 call; 1 already saved. 1 of 3 calls has no recording.';
    await expect
      .poll(() => app.page.locator('.notices .notice').allInnerTexts(), { timeout: 10_000 })
      .toContain(expected);
    // The earlier notice was for another action; this action added exactly one.
    expect(await app.page.locator('.notices .notice').filter({ hasText: 'of 3 calls' }).count()).toBe(1);
    expect(savedFiles().some((file) => file.includes('(2)'))).toBe(false);
  });

  it('tells the reviewer when a call has no recording to download', async () => {
    const call = app.calls.find((c) => c.recording === null);
    if (!call) throw new Error('the demo has no call without a recording');
    const before = savedFiles();
    await rowOf(call).click();
    expect(await app.page.getByRole('button', { name: 'Download', exact: true }).isDisabled()).toBe(true);
    await app.page.keyboard.press('d');
    await expect.poll(() => app.page.getByRole('status').last().innerText()).toContain('has no recording');
    expect(savedFiles()).toEqual(before);
  });
});
