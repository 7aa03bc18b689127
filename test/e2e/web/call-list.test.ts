/** The call list against the real demo server: what it shows, search, filters, counts. */
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { visibleCustomers, useWebApp } from './web-app-harness.ts';

/** A day as a date input takes it, in the computer's zone (the UI's default). */
function localDay(iso: string | null): string {
  const d = new Date(iso ?? '');
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

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

  it('shows the rows before their count, says it is counting, and takes the keys meanwhile', async () => {
    await app.open();
    const withRecording = app.calls.filter((c) => c.recording !== null).length;
    const order: string[] = [];
    let releaseCount = () => {};
    const countHeld = new Promise<void>((resolve) => (releaseCount = resolve));
    // As the server answers a new view of a large library: its first page at once, without a total…
    await app.page.route('**/api/ipc/recordings:list', async (route) => {
      const response = await route.fetch();
      const reply = (await response.json()) as { ok: boolean; value?: object };
      order.push('rows');
      await route.fulfill({
        response,
        json: reply.ok ? { ...reply, value: { ...reply.value, total: null } } : reply,
      });
    });
    // …and the count, which takes a while.
    await app.page.route('**/api/ipc/recordings:count', async (route) => {
      order.push('count asked');
      await countHeld;
      await route.continue();
    });
    await app.page.reload();
    await expectCustomers(names(app.calls));
    const count = app.page.locator('.list-count');
    await expect.poll(() => count.innerText()).toBe('Counting calls…');
    // Rows first (a reload of the view may fetch them again before the count is asked).
    expect(order[0]).toBe('rows');
    expect(order).toContain('count asked');
    const selectedId = () =>
      app.page.locator('[role="row"][aria-selected="true"]').getAttribute('data-interaction-id');
    await app.page.getByRole('grid', { name: 'Calls' }).focus();
    await app.page.keyboard.press('ArrowDown');
    await expect.poll(selectedId).toBe(app.calls[1]?.interaction_id);

    releaseCount();
    await expect
      .poll(() => count.innerText())
      .toBe(`${app.calls.length} calls · ${withRecording} with recordings`);
    expect(await visibleCustomers(app.page)).toEqual(names(app.calls));
    expect(await selectedId()).toBe(app.calls[1]?.interaction_id);
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
    await expect
      .poll(() => app.page.locator('.list-count').innerText())
      .toBe(`1 of ${app.calls.length} calls matches`);

    await search.fill(target.phone.slice(-7)); // the last seven digits, as a reviewer types them
    await expectCustomers([target.customer_name]);

    await search.fill(target.dispatch_id);
    await expectCustomers([target.customer_name]);

    await search.fill(target.interaction_id);
    await expectCustomers([target.customer_name]);

    await search.fill('no such caller anywhere');
    await expect.poll(() => app.page.locator('.call-list-empty').innerText()).toContain('No calls match');
    await expect
      .poll(() => app.page.locator('.list-count').innerText())
      .toBe(`0 of ${app.calls.length} calls match`);

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

  it('says a reversed date range is reversed, instead of "No calls match", and swaps it', async () => {
    await app.open();
    const newest = localDay(app.calls[0]?.start_time ?? null);
    const oldest = localDay(app.calls.at(-1)?.start_time ?? null);
    expect(newest > oldest).toBe(true);
    await app.page.getByLabel('From', { exact: true }).fill(newest);
    await app.page.getByLabel('To', { exact: true }).fill(oldest);
    const empty = app.page.locator('.call-list-empty');
    await expect.poll(() => empty.innerText()).toContain('The date range is reversed');
    expect(await empty.innerText()).not.toContain('No calls match');
    expect(await app.page.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await empty.getByRole('button', { name: 'Swap the dates' }).click();
    await expect.poll(() => visibleCustomers(app.page)).toEqual(names(app.calls));
    expect(await app.page.getByLabel('From', { exact: true }).inputValue()).toBe(oldest);
  });

  it('keeps the view (filters, search, selected call) across a reload, and in the address bar', async () => {
    await app.open();
    const status = app.calls.find(
      (c) => c.status !== null && app.calls.some((o) => o.status !== c.status),
    )?.status;
    if (!status) throw new Error('the demo needs calls in more than one status');
    const matching = app.calls.filter((c) => c.status === status);
    await app.page.getByRole('combobox', { name: 'Status' }).selectOption(status);
    await app.page.getByRole('combobox', { name: 'Recording' }).selectOption('yes');
    const shown = matching.filter((c) => c.recording !== null);
    await expect.poll(() => visibleCustomers(app.page)).toEqual(names(shown));
    const target = shown.at(-1);
    if (!target) throw new Error('no call to select');
    await app.page.locator(`[role="row"][data-interaction-id="${target.interaction_id}"]`).click();

    await expect.poll(() => new URL(app.page.url()).searchParams.get('call')).toBe(target.interaction_id);
    const url = new URL(app.page.url());
    expect(url.searchParams.get('status')).toBe(status);
    expect(url.searchParams.get('recording')).toBe('yes');

    await app.page.reload();
    await expect.poll(() => visibleCustomers(app.page)).toEqual(names(shown));
    expect(await app.page.getByRole('combobox', { name: 'Status' }).inputValue()).toBe(status);
    await expect
      .poll(() => app.page.locator('[role="row"][aria-selected="true"]').getAttribute('data-interaction-id'))
      .toBe(target.interaction_id);

    // The address alone opens the same view in a fresh window (a bookmark, a link from a colleague).
    const other = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const shared = await other.newPage();
      await shared.goto(url.toString());
      await expect.poll(() => visibleCustomers(shared)).toEqual(names(shown));
      await expect
        .poll(() => shared.locator('[role="row"][aria-selected="true"]').getAttribute('data-interaction-id'))
        .toBe(target.interaction_id);
    } finally {
      await other.close();
    }
  });

  it('says which zone its times are in (Tokyo: UTC+9), and shows times and picks days in UTC when chosen', async () => {
    await app.open();
    const tokyo = await app.browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Asia/Tokyo',
    });
    try {
      const page = await tokyo.newPage();
      await page.goto(`${app.server.url}/`);
      await page.locator('[role="row"][data-interaction-id]').first().waitFor();
      expect(await page.locator('.list-zone').innerText()).toBe('Times in local time (UTC+9)');
      const first = app.calls[0];
      const cell = () =>
        page.locator(`[role="row"][data-interaction-id="${first?.interaction_id}"] .cell-time`).innerText();
      const clock = (iso: string) => {
        const [h, m] = iso.slice(11, 16).split(':').map(Number);
        return `${String((h ?? 0) % 12 || 12).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
      };
      const utc = new Date(first?.start_time ?? '');
      const inTokyo = new Date(utc.getTime() + 9 * 3600_000).toISOString();
      expect(await cell()).toContain(clock(inTokyo));

      await page.evaluate(() => localStorage.setItem('tapedeck.displayZone', 'utc'));
      await page.reload();
      await page.locator('[role="row"][data-interaction-id]').first().waitFor();
      expect(await page.locator('.list-zone').innerText()).toBe('Times in UTC');
      expect(await cell()).toContain(clock(utc.toISOString()));

      // A day picked in UTC is the UTC day: exactly the calls whose UTC date it is.
      const day = utc.toISOString().slice(0, 10);
      await page.getByLabel('From', { exact: true }).fill(day);
      await page.getByLabel('To', { exact: true }).fill(day);
      const sameUtcDay = app.calls.filter(
        (c) => c.start_time !== null && new Date(c.start_time).toISOString().startsWith(day),
      );
      await expect.poll(() => visibleCustomers(page)).toEqual(names(sameUtcDay));
      expect(new URL(page.url()).searchParams.get('from')).toBe(`${day}T00:00:00.000Z`);
    } finally {
      await tokyo.close();
    }
  });
});
