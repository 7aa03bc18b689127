/**
 * The banners a reviewer must not miss. The demo library cannot lose S3 or run out of temporary
 * credentials, so these tests alter the real server's `library:status` reply in flight; everything
 * else is the real demo server.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { LibraryStatus, Reply } from '../../../shared/contract.ts';
import { openApp, useWebApp } from './web-app-harness.ts';

let page: Page | undefined;

const app = useWebApp({ closeEachTest: false });

/** Lets a status request still in flight end quietly, then closes the window. */
async function close(): Promise<void> {
  await page?.context().unrouteAll({ behavior: 'ignoreErrors' });
  await page?.context().close();
  page = undefined;
}

afterEach(close);

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
  const opened = await context.newPage();
  await opened.goto(`${app.server.url}/`);
  return opened;
}

describe('library banners', () => {
  it('the demo library says so, and its Connect your bucket opens Settings', async () => {
    ({ page } = await openApp(app.browser, app.server));
    const banner = page.getByRole('note', { name: 'Demo library' });
    expect(await banner.innerText()).toMatch(/No S3 bucket is configured/);
    expect(await page.locator('.badge-demo').innerText()).toMatch(/demo library/i);
    // Nothing to switch to yet.
    expect(await page.getByRole('button', { name: 'Open my bucket' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Open the demo library' }).count()).toBe(0);
    await banner.getByRole('button', { name: 'Connect your bucket' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Bucket', { exact: true }).waitFor();
  });

  it('the demo with a bucket configured offers Open my bucket instead', async () => {
    page = await openWithStatus((status) => ({ ...status, mode: 'demo', bucketConfigured: true }));
    const banner = page.getByRole('note', { name: 'Demo library' });
    await expect.poll(() => banner.getByRole('button', { name: 'Open my bucket' }).count()).toBe(1);
    expect(await banner.innerText()).not.toMatch(/No S3 bucket is configured/);
    expect(await page.getByRole('button', { name: 'Connect your bucket' }).count()).toBe(0);
  });

  it('an open bucket keeps the demo one click away, in the header', async () => {
    page = await openWithStatus((status) => ({
      ...status,
      mode: 'bucket',
      location: 's3://team-calls/egress-recordings/',
      bucketConfigured: true,
    }));
    const header = page.getByRole('banner');
    await expect.poll(() => header.getByRole('button', { name: 'Open the demo library' }).count()).toBe(1);
    expect(await page.getByRole('note', { name: 'Demo library' }).count()).toBe(0);
  });

  it('shows a problem with the library (S3 unreachable) as an alert', async () => {
    const problem = 'S3 did not answer at https://s3.eu-west-1.amazonaws.com: check the network or VPN.';
    page = await openWithStatus((status) => ({ ...status, mode: 'bucket', problem }));
    await expect.poll(() => page?.getByRole('alert').filter({ hasText: problem }).count()).toBe(1);
    expect(await page.getByRole('note', { name: 'Demo library' }).count()).toBe(0);
  });

  it('warns when temporary credentials expire within 15 minutes, not before', async () => {
    const inTenMinutes = new Date(Date.now() + 10 * 60_000).toISOString();
    page = await openWithStatus((status) => ({
      ...status,
      credentials: { source: 'profile', expiresAt: inTenMinutes },
    }));
    await expect
      .poll(() => page?.getByRole('alert').filter({ hasText: 'credentials expire in' }).innerText())
      .toMatch(/expire in 10 minutes/);
    await close();

    const inAnHour = new Date(Date.now() + 60 * 60_000).toISOString();
    page = await openWithStatus((status) => ({
      ...status,
      credentials: { source: 'profile', expiresAt: inAnHour },
    }));
    await page.locator('[role="row"][data-interaction-id]').first().waitFor();
    expect(await page.getByText(/credentials expire/).count()).toBe(0);
  });
});
