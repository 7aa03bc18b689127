/**
 * Export CSV, the background-sync setting and the sync status lines, against the real demo server.
 * The demo's sync ends in a moment, so the in-progress and upstream lines are shown by altering the
 * real server's `library:status` reply in flight (as library-banners.test.ts does).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRow, LibraryStatus, Reply, SettingsView } from '../../../shared/contract.ts';
import { openApp, useWebApp, visibleCustomers } from './web-app-harness.ts';

const HEADER = [
  'interaction_id',
  'customer_name',
  'phone',
  'status',
  'outcome',
  'duration',
  'start_time',
  'end_time',
  'dispatch_id',
  's3_key',
];
const EXPORT_NAME = /^tapedeck-calls-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/;

let page: Page | undefined;
/** What the pages a test opened logged as errors. */
let errors: string[] = [];

const app = useWebApp({ closeEachTest: false });

/** Lets a status request still in flight end quietly, then closes the window. */
afterEach(async () => {
  await page?.context().unrouteAll({ behavior: 'ignoreErrors' });
  await page?.context().close();
  page = undefined;
  const logged = errors;
  errors = [];
  expect(logged, 'the page logged errors').toEqual([]);
});

function watch(opened: Page): Page {
  opened.on('pageerror', (error) => errors.push(error.message));
  opened.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return opened;
}

async function open(): Promise<Page> {
  const opened = await openApp(app.browser, app.server);
  errors.push(...opened.errors);
  page = watch(opened.page);
  return page;
}

/** Opens the app with `library:status` answered as the real server does, with `change` applied. */
async function openWithStatus(change: (status: LibraryStatus) => LibraryStatus): Promise<Page> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(8000);
  await context.route('**/api/ipc/library:status', async (route) => {
    const response = await route.fetch();
    const reply = (await response.json()) as Reply<LibraryStatus>;
    if (!reply.ok) throw new Error(reply.error.message);
    await route.fulfill({ response, json: { ok: true, value: change(reply.value) } });
  });
  page = watch(await context.newPage());
  await page.goto(`${app.server.url}/`);
  await page.locator('[role="row"][data-interaction-id]').first().waitFor();
  return page;
}

async function openSettings(on: Page) {
  await on.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = on.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Bucket', { exact: true }).waitFor();
  return dialog;
}

/** The export notice's text, once it is shown: `Exported N calls to /path/…csv`. */
async function exportNotice(on: Page): Promise<string> {
  const notice = on.locator('.notice-info').filter({ hasText: /^Exported / });
  await notice.waitFor();
  return notice.innerText();
}

/** The rows of an exported CSV file: its header, then each call's cells. */
function readCsv(path: string): string[][] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\r\n'), 'rows end with CRLF').toBe(true);
  const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('export CSV', () => {
  it('writes exactly the filtered calls, with a header, into the downloads folder, and says so', async () => {
    const on = await open();
    const status = app.calls.find(
      (c) => c.status !== null && app.calls.filter((o) => o.status === c.status).length > 1,
    )?.status;
    if (!status) throw new Error('the demo needs two calls in one status');
    const expected = app.calls.filter((c) => c.status === status);
    expect(expected.length).toBeLessThan(app.calls.length);

    await on.getByRole('combobox', { name: 'Status' }).selectOption(status);
    await expect.poll(() => visibleCustomers(on)).toEqual(expected.map((c) => c.customer_name ?? 'Unknown'));
    const before = new Set(readdirSync(app.server.downloadsDir));

    const button = on.getByRole('button', { name: 'Export CSV' });
    expect(await button.getAttribute('aria-keyshortcuts')).toBe('E');
    await button.click();
    const text = await exportNotice(on);
    const match = /^Exported (\d+) calls? to (.+\.csv)$/.exec(text);
    if (!match?.[1] || !match[2]) throw new Error(`unexpected notice: ${text}`);
    expect(Number(match[1])).toBe(expected.length);
    const path = match[2];
    expect(dirname(path)).toBe(app.server.downloadsDir);
    expect(basename(path)).toMatch(EXPORT_NAME);
    expect(await button.isEnabled()).toBe(true); // enabled again once it finished

    // Only the CSV appeared: no temporary file is left beside it.
    const added = readdirSync(app.server.downloadsDir).filter((name) => !before.has(name));
    expect(added).toEqual([basename(path)]);

    const [header, ...rows] = readCsv(path);
    expect(header).toEqual(HEADER);
    expect(rows.map((row) => row[0])).toEqual(expected.map((c) => c.interaction_id));
    for (const [i, row] of rows.entries()) {
      const call = expected[i] as CallRow;
      expect(row[1]).toBe(call.customer_name ?? '');
      expect(row[3]).toBe(status);
      expect(row[8]).toBe(call.dispatch_id ?? '');
      expect(row[9]).toBe(call.recording?.key ?? '');
    }
  });

  it('E exports what the search matches', async () => {
    const on = await open();
    const target = app.calls.find((c) => c.customer_name === 'Louis Smith') ?? app.calls[0];
    if (!target?.phone) throw new Error('no demo call with a phone');
    const digits = target.phone.replace(/\D/g, '');
    const formatted = `${digits.slice(-7, -4)}-${digits.slice(-4)}`; // as a reviewer types it

    await on.getByRole('searchbox', { name: 'Search' }).fill(formatted);
    await expect.poll(() => visibleCustomers(on)).toEqual([target.customer_name ?? 'Unknown']);
    await on.locator(`[role="row"][data-interaction-id="${target.interaction_id}"]`).click();
    await on.keyboard.press('e');

    const text = await exportNotice(on);
    const path = /to (.+\.csv)$/.exec(text)?.[1];
    expect(text).toMatch(/^Exported 1 call to /);
    if (!path) throw new Error(`unexpected notice: ${text}`);
    const [header, ...rows] = readCsv(path);
    expect(header).toEqual(HEADER);
    expect(rows.map((row) => row[0])).toEqual([target.interaction_id]);
    expect(rows[0]?.[2]).toBe(target.phone);
  });

  it('lists the export in the Downloads panel, with the calls it holds', async () => {
    const on = await open();
    await on.getByRole('button', { name: 'Export CSV' }).click();
    const path = /to (.+\.csv)$/.exec(await exportNotice(on))?.[1];
    if (!path) throw new Error('no export path in the notice');
    await on.getByRole('button', { name: 'Downloads', exact: true }).click();
    const item = on
      .getByRole('complementary', { name: 'Downloads' })
      .locator('.download')
      .filter({ hasText: basename(path) });
    await expect.poll(() => item.innerText()).toContain('Exported');
    expect(await item.innerText()).toContain(`CSV · ${app.calls.length} calls`);
  });

  it('shows a failed export as an error notice', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(8000);
    const message = 'The downloads folder is not writable: /nowhere';
    await context.route('**/api/ipc/recordings:export', (route) =>
      route.fulfill({ json: { ok: false, error: { code: 'io_error', message } } }),
    );
    page = watch(await context.newPage());
    await page.goto(`${app.server.url}/`);
    await page.locator('[role="row"][data-interaction-id]').first().waitFor();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => page?.locator('.notice-error').innerText()).toContain(message);
  });
});

describe('sync status', () => {
  it('says how the demo library’s sync went: its folders and objects', async () => {
    const sync = (await app.server.status()).sync;
    if (sync?.state !== 'succeeded') throw new Error('the demo library has not synced');
    expect(sync.foldersTotal).toBeGreaterThan(0);
    const on = await open();
    const dialog = await openSettings(on);
    await expect
      .poll(() => dialog.locator('.sync-row').innerText())
      .toContain(
        `${sync.foldersTotal} folder${sync.foldersTotal === 1 ? '' : 's'}, ${sync.objectsListed} objects listed`,
      );
    expect(await dialog.locator('.sync-row').innerText()).toMatch(/^Sync now\s+Synced /);
    // The demo has no upstream API: no line for it.
    expect(await dialog.getByRole('status', { name: 'Upstream API' }).count()).toBe(0);
  });

  it('shows folder progress, where a run resumed and skipped manifests while a sync runs', async () => {
    const on = await openWithStatus((status) => ({
      ...status,
      sync: {
        ...(status.sync as NonNullable<LibraryStatus['sync']>),
        state: 'running',
        finishedAt: null,
        foldersDone: 12,
        foldersTotal: 30,
        objectsListed: 3400,
        manifestsRead: 7,
        manifestsSkipped: 2,
        resumedFrom: 'egress-recordings/2025/08/07/',
        error: null,
      },
    }));
    const pill = on.locator('.sync-pill');
    await expect.poll(() => pill.innerText()).toContain('Syncing… 12 of 30 folders, 3,400 objects');
    expect(await pill.innerText()).toContain('resumed from 2025/08/07/');

    const dialog = await openSettings(on);
    const line = dialog.locator('.sync-row');
    await expect.poll(() => line.innerText()).toContain('Syncing… 12 of 30 folders, 3,400 objects');
    const text = await line.innerText();
    expect(text).toContain('Resumed from 2025/08/07/');
    expect(text).toContain('7 manifests read');
    expect(await line.locator('.sync-note.warning').innerText()).toContain('2 manifests skipped');
    expect(await dialog.getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true);
    const progress = dialog.getByRole('progressbar', { name: 'Sync progress' });
    expect(await progress.getAttribute('value')).toBe('12');
    expect(await progress.getAttribute('max')).toBe('30');
  });

  it('shows the upstream API’s pull in Settings, and a failed one as a banner', async () => {
    const upstream: NonNullable<LibraryStatus['upstream']> = {
      state: 'succeeded',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      finishedAt: new Date().toISOString(),
      pagesFetched: 4,
      interactionsCached: 1200,
      itemsSkipped: 3,
      error: null,
      resumedFromOffset: 400,
    };
    let on = await openWithStatus((status) => ({ ...status, upstream }));
    let dialog = await openSettings(on);
    const line = dialog.getByRole('status', { name: 'Upstream API' });
    await expect.poll(() => line.innerText()).toMatch(/^Pulled from the upstream API /);
    const text = await line.innerText();
    expect(text).toContain('4 pages, 1,200 calls cached, 3 items skipped');
    expect(text).toContain('resumed from offset 400');
    expect(await on.getByRole('alert').filter({ hasText: 'upstream' }).count()).toBe(0);
    await page?.context().unrouteAll({ behavior: 'ignoreErrors' });
    await page?.context().close();

    const error = 'The upstream API answered 503 at http://upstream.example/recordings?offset=400.';
    on = await openWithStatus((status) => ({
      ...status,
      upstream: { ...upstream, state: 'failed', error },
    }));
    const banner = on.getByRole('alert').filter({ hasText: 'upstream Recording API failed' });
    await expect.poll(() => banner.innerText()).toContain(error);
    await banner.getByRole('button', { name: 'Open settings' }).click();
    dialog = on.getByRole('dialog', { name: 'Settings' });
    await expect
      .poll(() => dialog.getByRole('status', { name: 'Upstream API' }).innerText())
      .toBe(`Upstream pull failed: ${error}`);
  });
});

describe('background sync setting', () => {
  it('is validated, saved, and still there after a reload', async () => {
    const on = await open();
    const dialog = await openSettings(on);
    const interval = dialog.getByLabel(/Background sync every/);
    expect(await interval.inputValue()).toBe(
      String((await app.server.call('settings:get', {})).syncIntervalMinutes),
    );
    expect(await interval.getAttribute('readonly')).toBeNull();

    for (const wrong of ['1.5', '10081', '-1', 'soon']) {
      await interval.fill(wrong);
      await dialog.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => dialog.locator('.form-error').innerText()).toMatch(/whole number of minutes/);
    }
    expect((await app.server.call('settings:get', {})).syncIntervalMinutes).toBe(15);

    await interval.fill('45');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await app.server.call('settings:get', {})).syncIntervalMinutes).toBe(45);

    await on.reload();
    const again = await openSettings(on);
    expect(await again.getByLabel(/Background sync every/).inputValue()).toBe('45');

    // 0 turns it off, and is a valid value.
    await again.getByLabel(/Background sync every/).fill('0');
    await again.getByRole('button', { name: 'Save', exact: true }).click();
    await again.waitFor({ state: 'hidden' });
    expect((await app.server.call('settings:get', {})).syncIntervalMinutes).toBe(0);
  });

  it('shows as set by the environment when TAPEDECK_SYNC_INTERVAL_MINUTES decides it', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(8000);
    await context.route('**/api/ipc/settings:get', async (route) => {
      const response = await route.fetch();
      const reply = (await response.json()) as Reply<SettingsView>;
      if (!reply.ok) throw new Error(reply.error.message);
      const view = reply.value;
      await route.fulfill({
        response,
        json: {
          ok: true,
          value: {
            ...view,
            syncIntervalMinutes: 60,
            lockedByEnvironment: [...view.lockedByEnvironment, 'syncIntervalMinutes'],
          },
        },
      });
    });
    let update: unknown;
    await context.route('**/api/ipc/settings:update', async (route) => {
      update = route.request().postDataJSON();
      await route.continue();
    });
    page = watch(await context.newPage());
    await page.goto(`${app.server.url}/`);
    const dialog = await openSettings(page);
    const interval = dialog.getByRole('textbox', {
      name: /Background sync every/,
      description: 'Set by environment',
    });
    expect(await interval.inputValue()).toBe('60');
    expect(await interval.getAttribute('readonly')).not.toBeNull();

    // Save leaves what the environment decides alone.
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(update).toBeTypeOf('object');
    expect(update).not.toHaveProperty('syncIntervalMinutes');
  });
});
