/**
 * The first journey every user takes, in web mode against the S3 server: `npm run demo`, the
 * banner's Connect your bucket, the bucket typed with an AWS profile from `~/.aws`, Test connection,
 * Save — and the bucket's calls are in the list, the demo one click away, and the bucket open again
 * at the next start. Then what Settings says up front: stored keys cannot work here, and which
 * settings the environment pins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { emulatorEndpoint } from '../../support/emulator-endpoint.ts';
import { homeWithAwsProfiles } from '../../support/first-run/aws-profile.ts';
import { createTeamBucket, type TeamBucket } from '../../support/first-run/team-bucket.ts';
import { startWebProcess, type WebProcess } from '../../support/first-run/web-process.ts';
import { EMULATOR_CREDENTIALS } from '../../support/s3-emulator.ts';
import { callContract } from '../../support/tapedeck-process.ts';
import { buildRendererIfStale, launchChromium } from './web-app-harness.ts';

/** One recording a day for this many days: the first sync lists as many date folders. */
const DAYS = 40;
const PROFILE = { name: 'qa', ...EMULATOR_CREDENTIALS, region: 'us-east-1' };
const KEYCHAIN_REASON = /desktop app.*AWS profile.*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/;

let browser: Browser;
let bucket: TeamBucket;
const processes: WebProcess[] = [];
const folders: string[] = [];
let opened: { page: Page; errors: string[] } | null = null;

beforeAll(async () => {
  await buildRendererIfStale();
  [browser, bucket] = await Promise.all([launchChromium(), createTeamBucket(emulatorEndpoint(), DAYS)]);
}, 120_000);

afterEach(async () => {
  await closePage();
  for (const process of processes.splice(0)) await process.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
});

function folder(name: string): string {
  const path = mkdtempSync(join(tmpdir(), `tapedeck-first-run-${name}-`));
  folders.push(path);
  return path;
}

async function start(
  command: 'demo' | 'serve',
  home: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<WebProcess> {
  const started = await startWebProcess(command, { home, dataDir, env });
  processes.push(started);
  return started;
}

/** A fresh window (1280×800) on the page, once its first rows are on screen. */
async function openPage(url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  opened = { page, errors };
  await page.goto(`${url}/`);
  await page.getByRole('grid', { name: 'Calls' }).getByRole('row').nth(1).waitFor({ timeout: 20_000 });
  return page;
}

/** Closes the window, after checking it logged no errors. */
async function closePage(): Promise<void> {
  if (opened === null) return;
  const { page, errors } = opened;
  opened = null;
  await page.context().close();
  expect(errors, 'the page logged errors').toEqual([]);
}

/** The grid's row count, its header row left out. */
async function rowCount(page: Page): Promise<number> {
  return Number(await page.getByRole('grid', { name: 'Calls' }).getAttribute('aria-rowcount')) - 1;
}

/** The calls the page shows are the bucket's: as many, and every row on screen one of them. */
async function expectBucketCalls(page: Page, url: string): Promise<void> {
  await expect.poll(() => rowCount(page), { timeout: 20_000 }).toBe(DAYS);
  const answer = await callContract<{ rows: CallRow[] }>(url, 'recordings:list', { limit: 1000 });
  if (!answer.reply.ok) throw new Error(answer.reply.error.message);
  const rows = answer.reply.value.rows;
  expect(rows.map((row) => row.recording?.key).sort()).toEqual([...bucket.keys].sort());
  const ids = new Set(rows.map((row) => row.interaction_id));
  const shown = await page
    .locator('[role="row"][data-interaction-id]')
    .evaluateAll((found) => found.map((row) => row.getAttribute('data-interaction-id')));
  expect(shown.length).toBeGreaterThan(0);
  for (const id of shown) expect(ids.has(id ?? '')).toBe(true);
}

/** Records every text the header's status line shows from now on, however briefly. */
async function watchHeaderStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { headerStatus: string[] }).headerStatus = seen;
    new MutationObserver(() => {
      for (const status of document.querySelectorAll('.app-header [role="status"]')) {
        seen.push(status.textContent ?? '');
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { headerStatus: string[] }).headerStatus);
}

describe('first run: from the demo to your own bucket', () => {
  it('Connect your bucket, a profile from ~/.aws, Test connection, Save: the bucket opens at once, and again at the next start', async () => {
    const home = homeWithAwsProfiles(PROFILE);
    folders.push(home);
    const dataDir = folder('data');
    const endpoint = emulatorEndpoint();
    let app = await start('demo', home, dataDir);
    let page = await openPage(app.url);

    // The demo, as `npm run demo` opens it.
    const demoBanner = page.getByRole('note', { name: 'Demo library' });
    expect(await demoBanner.innerText()).toMatch(/No S3 bucket is configured yet/);
    expect(await rowCount(page)).not.toBe(DAYS);

    await demoBanner.getByRole('button', { name: 'Connect your bucket' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByLabel('Bucket', { exact: true }).fill(bucket.name);
    await dialog.getByLabel('Endpoint').fill(endpoint);
    await dialog.getByRole('checkbox', { name: 'Path-style addressing' }).check();
    await dialog.getByRole('radio', { name: 'AWS profile', exact: true }).check();
    await dialog.getByLabel('Profile name').fill(PROFILE.name);

    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const verdict = dialog.getByRole('status', { name: 'Connection test' });
    await expect
      .poll(() => verdict.innerText(), { timeout: 15_000 })
      .toBe(
        `Connected to s3://${bucket.name}/egress-recordings/ (${endpoint}): ${DAYS} recordings in the first ${DAYS} objects.`,
      );

    const headerStatus = await watchHeaderStatus(page);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The bucket is open: its calls in the list, its location in the header, the demo banner gone.
    await expectBucketCalls(page, app.url);
    await expect.poll(() => demoBanner.count()).toBe(0);
    expect(await page.locator('.library-location').innerText()).toContain(
      `s3://${bucket.name}/egress-recordings/`,
    );
    // The header said how the first sync went while the list had no rows yet, and says nothing once done.
    expect(
      (await headerStatus()).some((text) =>
        /(First sync of this bucket|Syncing)… \d+ (objects|of)/.test(text),
      ),
    ).toBe(true);
    await expect.poll(() => page.locator('.app-header [role="status"]').count(), { timeout: 20_000 }).toBe(0);

    // The demo is one click away, and the bucket one click back.
    await page.getByRole('banner').getByRole('button', { name: 'Open the demo library' }).click();
    await expect.poll(() => demoBanner.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => rowCount(page), { timeout: 15_000 }).not.toBe(DAYS);
    expect(await page.getByRole('button', { name: 'Connect your bucket' }).count()).toBe(0);
    await demoBanner.getByRole('button', { name: 'Open my bucket' }).click();
    await expectBucketCalls(page, app.url);
    await expect.poll(() => demoBanner.count()).toBe(0);

    // The next start, on the same data folder, opens the bucket.
    await closePage();
    await app.stop();
    app = await start('demo', home, dataDir);
    page = await openPage(app.url);
    await expectBucketCalls(page, app.url);
    expect(await page.getByRole('note', { name: 'Demo library' }).count()).toBe(0);
    expect(await page.locator('.library-location').innerText()).toContain(
      `s3://${bucket.name}/egress-recordings/`,
    );
  }, 120_000);

  it('Test connection’s failures name the fix: the endpoint, the bucket, the keys', async () => {
    const home = homeWithAwsProfiles(PROFILE, { ...PROFILE, name: 'stale', accessKeyId: 'AKIASTALEKEY' });
    folders.push(home);
    const app = await start('demo', home, folder('data'));
    const page = await openPage(app.url);
    await page
      .getByRole('note', { name: 'Demo library' })
      .getByRole('button', { name: 'Connect your bucket' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const verdict = dialog.getByRole('status', { name: 'Connection test' });
    /** Runs Test connection and answers its new verdict (each step's differs from the one before). */
    const test = async (): Promise<string> => {
      const before = await verdict.innerText();
      await dialog.getByRole('button', { name: 'Test connection' }).click();
      await expect
        .poll(async () => (await verdict.getAttribute('class')) ?? '', { timeout: 15_000 })
        .toMatch(/form-(error|success)/);
      await expect.poll(() => verdict.innerText(), { timeout: 15_000 }).not.toBe(before);
      return verdict.innerText();
    };
    await dialog.getByLabel('Bucket', { exact: true }).fill(bucket.name);
    await dialog.getByLabel('Endpoint').fill('http://127.0.0.1:9');
    await dialog.getByRole('checkbox', { name: 'Path-style addressing' }).check();
    await dialog.getByRole('radio', { name: 'AWS profile', exact: true }).check();
    await dialog.getByLabel('Profile name').fill(PROFILE.name);
    expect(await test()).toMatch(
      /^S3 is unreachable at .*\(ECONNREFUSED\)\. Check the endpoint \(Settings → Endpoint, or AWS_ENDPOINT_URL_S3\)/,
    );

    await dialog.getByLabel('Endpoint').fill(emulatorEndpoint());
    await dialog.getByLabel('Bucket', { exact: true }).fill(`${bucket.name}-not-here`);
    expect(await test()).toMatch(
      /\(NoSuchBucket\).*the bucket does not exist \(check S3_BUCKET, or the bucket name in Settings\)/,
    );

    await dialog.getByLabel('Bucket', { exact: true }).fill(bucket.name);
    await dialog.getByLabel('Profile name').fill('stale');
    expect(await test()).toMatch(/\(InvalidAccessKeyId\).*check AWS_ACCESS_KEY_ID or the profile/);

    await dialog.getByLabel('Profile name').fill(PROFILE.name);
    expect(await test()).toMatch(/^Connected to /);
  }, 60_000);

  it('shows stored keys disabled in web mode, with what to use instead, before anything is typed', async () => {
    const home = folder('home');
    const app = await start('demo', home, folder('data'));
    const page = await openPage(app.url);
    await page
      .getByRole('note', { name: 'Demo library' })
      .getByRole('button', { name: 'Connect your bucket' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });

    const storedKeys = dialog.getByRole('radio', { name: 'Access keys stored in Tapedeck', exact: true });
    await storedKeys.waitFor();
    expect(await storedKeys.isDisabled()).toBe(true);
    expect(await storedKeys.isChecked()).toBe(false);
    expect(
      await dialog
        .getByRole('radio', { name: 'Access keys stored in Tapedeck', description: KEYCHAIN_REASON })
        .count(),
    ).toBe(1);
    expect(await dialog.getByText(KEYCHAIN_REASON).isVisible()).toBe(true);
    // Nowhere to type a key that could not be kept.
    expect(await dialog.locator('input[type="password"]').count()).toBe(0);
    // The choices that do work here are there to take.
    expect(await dialog.getByRole('radio', { name: 'AWS profile', exact: true }).isEnabled()).toBe(true);
  }, 60_000);

  it('says which environment variable pins a setting, which wins over Settings', async () => {
    const endpoint = emulatorEndpoint();
    const app = await start('serve', folder('home'), folder('data'), {
      S3_BUCKET: bucket.name,
      AWS_ENDPOINT_URL_S3: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    });
    const page = await openPage(app.url);
    await expectBucketCalls(page, app.url);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });

    const bucketField = dialog.getByRole('textbox', {
      name: 'Bucket',
      exact: true,
    });
    await bucketField.waitFor();
    expect(await bucketField.inputValue()).toBe(bucket.name);
    expect(await bucketField.isDisabled()).toBe(true);
    expect(await bucketField.isEditable()).toBe(false);
    const pinned = (variable: string) => `Set by ${variable} in the environment, which wins over Settings`;
    expect(
      await dialog.getByRole('textbox', { name: 'Bucket', description: pinned('S3_BUCKET') }).count(),
    ).toBe(1);
    expect(
      await dialog
        .getByRole('textbox', { name: 'Endpoint', description: pinned('AWS_ENDPOINT_URL_S3') })
        .count(),
    ).toBe(1);
    expect(
      await dialog.getByRole('textbox', { name: 'Region', description: pinned('AWS_REGION') }).count(),
    ).toBe(1);
    const pathStyle = dialog.getByRole('checkbox', {
      name: 'Path-style addressing',
      description: pinned('S3_FORCE_PATH_STYLE'),
    });
    expect(await pathStyle.isChecked()).toBe(true);
    expect(await pathStyle.isDisabled()).toBe(true);
    // Keys in the environment decide the credentials: the whole choice says so and is disabled.
    expect(await dialog.getByText(pinned('AWS_ACCESS_KEY_ID')).isVisible()).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'AWS profile', exact: true }).isDisabled()).toBe(true);
    // What the environment leaves alone can still be changed.
    expect(await dialog.getByRole('textbox', { name: 'Prefix', exact: true }).isEditable()).toBe(true);
  }, 60_000);
});
