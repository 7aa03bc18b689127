/** The call list against the real demo server: what it shows, search, filters, counts. */
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { visibleCustomers, useWebApp } from './web-app-harness.ts';

const app = useWebApp();

const names = (rows: readonly CallRow[]) => rows.map((row) => row.customer_name ?? 'Unknown');

/** Waits for the list to settle on exactly these customers (search is debounced). */
async function expectCustomers(expected: readonly string[]): Promise<void> {
  await expect.poll(() => visibleCustomers(app.page), { timeout: 5000 }).toEqual(expected);
}

describe('the call list', () => {
  it('shows every demo call, newest first, with its counts and a demo banner', async () => {
    await app.open();
    expect(app.calls.length).toBeGreaterThanOrEqual(5); // the demo has enough calls to search in
    await expectCustomers(names(app.calls));

    const status = await app.server.status();
    const withRecording = app.calls.filter((c) => c.recording !== null).length;
    expect(status.counts.withRecording).toBe(withRecording);
    await expect
      .poll(() => app.page.locator('.list-count').innerText())
      .toBe(`${app.calls.length} calls · ${withRecording} with recordings`);

    await expect
      .poll(() => app.page.getByRole('note', { name: 'Demo library' }).innerText())
      .toContain('Settings');
    const grid = app.page.getByRole('grid', { name: 'Calls' });
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(app.calls.length + 1));

    // A call without a recording says so in its row.
    const without = app.calls.find((c) => c.recording === null);
    expect(without).toBeDefined();
    const row = app.page.locator(`[role="row"][data-interaction-id="${without?.interaction_id}"]`);
    expect(await row.locator('.cell-recording').innerText()).toBe('No');
  });

  it('narrows to what the search matches: name, phone, dispatch id, interaction id', async () => {
    await app.open();
    const target = app.calls.find(
      (c) => c.customer_name !== null && c.dispatch_id !== null && c.phone !== null,
    );
    if (!target?.customer_name || !target.dispatch_id || !target.phone)
      throw new Error('demo call without fields');
    const search = app.page.getByRole('searchbox', { name: 'Search' });

    await search.fill(target.customer_name.split(' ')[0] ?? '');
    await expectCustomers([target.customer_name]);
    await expect.poll(() => app.page.locator('.list-count').innerText()).toContain('1 call match');

    await search.fill(target.phone.slice(-7)); // the last seven digits, as a reviewer types them
    await expectCustomers([target.customer_name]);

    await search.fill(target.dispatch_id);
    await expectCustomers([target.customer_name]);

    await search.fill(target.interaction_id);
    await expectCustomers([target.customer_name]);

    await search.fill('no such caller anywhere');
    await expect.poll(() => app.page.locator('.call-list-empty').innerText()).toContain('No calls match');

    await app.page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expectCustomers(names(app.calls));
    expect(await search.inputValue()).toBe('');
  });

  it('matches names by word prefixes (accents ignored), phones by their last digits, ids by their start', async () => {
    await app.open();
    const search = app.page.getByRole('searchbox', { name: 'Search' });
    const byName = (name: string) => {
      const call = app.calls.find((c) => c.customer_name === name);
      if (!call) throw new Error(`the demo has no call for ${name}`);
      return call;
    };

    // The start of each word, in any case, without the accents: "zoe ang" is Zoë Ångström.
    byName('Zoë Ångström');
    await search.fill('zoe ang');
    await expectCustomers(['Zoë Ångström']);
    // Letters inside a word are not a match ("rcus" is not the start of "Marcus").
    byName('Marcus Okafor');
    await search.fill('rcus');
    await expect.poll(() => app.page.locator('.call-list-empty').innerText()).toContain('No calls match');

    // A phone number's last digits, formatted as a reviewer types them.
    const louis = byName('Louis Smith');
    expect(louis.phone).toBe('+15103455686');
    await search.fill('345-5686');
    await expectCustomers(['Louis Smith']);
    // Digits in the middle of a number are not its last digits.
    await search.fill('51034');
    await expect.poll(() => app.page.locator('.call-list-empty').innerText()).toContain('No calls match');

    // An interaction id by its start; a dispatch id only in full.
    await search.fill(louis.interaction_id.slice(0, -1));
    await expect.poll(() => visibleCustomers(app.page)).toContain('Louis Smith');
    if (!louis.dispatch_id) throw new Error('no dispatch id');
    await search.fill(louis.dispatch_id.slice(0, -2));
    await expect.poll(() => app.page.locator('.call-list-empty').innerText()).toContain('No calls match');
    await search.fill(louis.dispatch_id);
    await expectCustomers(['Louis Smith']);
  });

  it('filters by status and by whether a call has a recording', async () => {
    await app.open();
    const status = app.calls.find(
      (c) => c.status !== null && app.calls.some((o) => o.status !== c.status),
    )?.status;
    if (!status) throw new Error('the demo needs calls in more than one status');

    await app.page.getByRole('combobox', { name: 'Status' }).selectOption(status);
    await expectCustomers(names(app.calls.filter((c) => c.status === status)));

    await app.page.getByRole('combobox', { name: 'Status' }).selectOption('');
    await app.page.getByRole('combobox', { name: 'Recording' }).selectOption('no');
    await expectCustomers(names(app.calls.filter((c) => c.recording === null)));

    await app.page.getByRole('combobox', { name: 'Recording' }).selectOption('yes');
    await expectCustomers(names(app.calls.filter((c) => c.recording !== null)));
  });

  it('filters by a date range in local time', async () => {
    await app.open();
    // The day of the newest call, as the reviewer's date picker shows it.
    const newest = new Date(app.calls[0]?.start_time ?? '');
    const day = `${newest.getFullYear()}-${String(newest.getMonth() + 1).padStart(2, '0')}-${String(newest.getDate()).padStart(2, '0')}`;
    const sameDay = app.calls.filter((c) => {
      const d = new Date(c.start_time ?? '');
      return (
        d.getFullYear() === newest.getFullYear() &&
        d.getMonth() === newest.getMonth() &&
        d.getDate() === newest.getDate()
      );
    });
    expect(sameDay.length).toBeLessThan(app.calls.length);

    await app.page.getByLabel('From', { exact: true }).fill(day);
    await app.page.getByLabel('To', { exact: true }).fill(day);
    await expectCustomers(names(sameDay));
  });
});
