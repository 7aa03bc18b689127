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
    const before = new Set(savedFiles());

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
      const path = await waitForFile(
        app.server.downloadsDir,
        before.has(name) ? name.replace(/\.mp4$/, ' (2).mp4') : name,
      );
      expect(readFileSync(path).equals(await app.server.mediaBytes(call.recording.key))).toBe(true);
    }
    const panel = app.page.getByRole('complementary', { name: 'Downloads' });
    await expect.poll(() => panel.locator('.download-finished').count()).toBeGreaterThanOrEqual(3);
  });

  it('never overwrites: the same call downloaded twice keeps both copies', async () => {
    const call = app.calls.filter(isRecorded).at(-1);
    if (!isRecorded(call)) throw new Error('no recorded call');
    const name = expectedFileName(call.customer_name, call.recording.key);
    await rowOf(call).click();
    await app.page.keyboard.press('d');
    await waitForFile(app.server.downloadsDir, name);
    await app.page.keyboard.press('d');
    const second = await waitForFile(app.server.downloadsDir, name.replace(/\.mp4$/, ' (2).mp4'));
    const bytes = await app.server.mediaBytes(call.recording.key);
    expect(readFileSync(second).equals(bytes)).toBe(true);
    expect(readFileSync(`${app.server.downloadsDir}/${name}`).equals(bytes)).toBe(true);
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
