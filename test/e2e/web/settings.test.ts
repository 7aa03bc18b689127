/** The settings dialog against the real demo server: what it shows, what it locks, what it reports. */
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useWebApp } from './web-app-harness.ts';

const app = useWebApp({ openEachTest: true });

async function openSettings() {
  await app.page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Bucket', { exact: true }).waitFor();
  return dialog;
}

/** Whether the element is wholly inside the window (not scrolled away, not below the fold). */
function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  });
}

describe('settings', () => {
  it('says which variable sets a setting, before anything is typed, and offers no key to type in web mode', async () => {
    const dialog = await openSettings();
    const downloads = dialog.getByRole('textbox', {
      name: 'Downloads folder',
      description: 'Set by TAPEDECK_DOWNLOADS_DIR in the environment, which wins over Settings',
    });
    expect(await downloads.inputValue()).toBe(app.server.downloadsDir);
    expect(await downloads.isDisabled()).toBe(true);
    expect(await downloads.isEditable()).toBe(false);
    const port = dialog.getByRole('textbox', { name: 'API port' });
    expect(await port.isDisabled()).toBe(true);
    expect(await port.getAttribute('aria-describedby')).not.toBeNull();
    expect(
      await dialog.getByText('Set by TAPEDECK_PORT in the environment, which wins over Settings').count(),
    ).toBe(1);
    expect(await dialog.getByLabel('Bucket', { exact: true }).isEditable()).toBe(true);

    // Web mode has no keychain: the choice is there, disabled, with what to use instead.
    const storedKeys = dialog.getByRole('radio', { name: 'Access keys stored in Tapedeck', exact: true });
    expect(await storedKeys.isDisabled()).toBe(true);
    expect(await dialog.getByText(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/).isVisible()).toBe(true);
    expect(await dialog.locator('input[type="password"]').count()).toBe(0);

    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('Test connection shows the server’s verdict beside the button, and a failure names the fix', async () => {
    const dialog = await openSettings();
    await dialog.getByLabel('Bucket', { exact: true }).fill('calls-that-do-not-exist');
    await dialog.getByLabel('Region').fill('us-east-1');
    await dialog.getByLabel('Endpoint').fill('http://127.0.0.1:9');
    const button = dialog.getByRole('button', { name: 'Test connection' });
    await button.click();

    const expected = await app.server.call('settings:testConnection', {
      bucket: 'calls-that-do-not-exist',
      prefix: 'egress-recordings/',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: false,
      credentialSource: 'default-chain',
      profile: '',
    });
    expect(expected.ok).toBe(false);
    // Without credentials here it is the credentials that need fixing; with some, the endpoint.
    expect(expected.message).toMatch(
      /Choose an AWS profile in Settings, or set AWS_PROFILE|Check the endpoint \(Settings → Endpoint, or AWS_ENDPOINT_URL_S3\)/,
    );
    const verdict = dialog.getByRole('status', { name: 'Connection test' });
    await expect.poll(() => verdict.innerText({ timeout: 5000 }), { timeout: 10_000 }).toBe(expected.message);
    expect(await verdict.getAttribute('class')).toContain('form-error');

    // Beside the button, and both in view, though the form is taller than the dialog.
    expect(await inView(verdict)).toBe(true);
    expect(await inView(button)).toBe(true);
    const [verdictBox, buttonBox] = [await verdict.boundingBox(), await button.boundingBox()];
    if (!verdictBox || !buttonBox) throw new Error('the verdict or the button is not laid out');
    expect(
      Math.abs(verdictBox.y + verdictBox.height / 2 - (buttonBox.y + buttonBox.height / 2)),
    ).toBeLessThan(40);
  });

  it('a value the contract refuses is named before anything is sent', async () => {
    const dialog = await openSettings();
    await dialog.getByLabel('Bucket', { exact: true }).fill('b'.repeat(64));
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const verdict = dialog.getByRole('status', { name: 'Connection test' });
    await expect.poll(() => verdict.innerText()).toBe('Bucket is too long: at most 63 characters.');
    expect(await dialog.getByLabel('Bucket', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await app.server.call('settings:get', {})).bucket).toBe('');

    await dialog.getByRole('radio', { name: 'AWS profile', exact: true }).check();
    await dialog.getByLabel('Bucket', { exact: true }).fill('');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => verdict.innerText()).toMatch(/^Enter the AWS profile’s name/);
    expect(await dialog.getByLabel('Profile name').getAttribute('aria-invalid')).toBe('true');
  });

  it('Save stores the settings typed, and they are there next time', async () => {
    const dialog = await openSettings();
    await dialog.getByLabel('Region').fill('eu-west-1');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => app.page.getByRole('status').last().innerText()).toContain('Settings saved.');
    expect((await app.server.call('settings:get', {})).region).toBe('eu-west-1');

    const again = await openSettings();
    expect(await again.getByLabel('Region').inputValue()).toBe('eu-west-1');
  });

  it('the transcripts and team prefixes: labelled, explained, a leading slash named, saved as folders', async () => {
    const dialog = await openSettings();
    const transcripts = dialog.getByRole('textbox', { name: 'Transcripts prefix' });
    const team = dialog.getByRole('textbox', { name: 'Team prefix' });
    expect(await team.getAttribute('aria-describedby')).toBeTruthy();
    expect(await dialog.locator(`#${await team.getAttribute('aria-describedby')}`).innerText()).toMatch(
      /team’s reviews are shared.*tapedeck\/ beside the recordings prefix/,
    );
    await transcripts.fill('/transcripts');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const verdict = dialog.getByRole('status', { name: 'Connection test' });
    await expect.poll(() => verdict.innerText()).toMatch(/^Transcripts prefix: must not start with a slash/);
    expect(await transcripts.getAttribute('aria-invalid')).toBe('true');

    await transcripts.fill('transcripts');
    await team.fill('acme/tapedeck/');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await app.server.call('settings:get', {})).toMatchObject({
      transcriptsPrefix: 'transcripts/',
      teamPrefix: 'acme/tapedeck/',
    });
    const again = await openSettings();
    expect(await again.getByRole('textbox', { name: 'Transcripts prefix' }).inputValue()).toBe(
      'transcripts/',
    );
  });

  it('Times shown in: UTC applies at once, and stays after a reload', async () => {
    const dialog = await openSettings();
    const zones = dialog.getByRole('radiogroup', { name: 'Times shown in' });
    expect(await zones.getByRole('radio', { name: 'Local' }).isChecked()).toBe(true);
    await zones.getByRole('radio', { name: 'UTC' }).check();
    await expect.poll(() => app.page.locator('.list-zone').innerText()).toBe('Times in UTC');

    await app.page.reload();
    await app.page.getByRole('grid', { name: 'Calls' }).getByRole('row').nth(1).waitFor();
    expect(await app.page.locator('.list-zone').innerText()).toBe('Times in UTC');
    const again = await openSettings();
    expect(await again.getByRole('radio', { name: 'UTC' }).isChecked()).toBe(true);
    await again.getByRole('radio', { name: 'Local' }).check();
    await expect.poll(() => app.page.locator('.list-zone').innerText()).toMatch(/^Times in local time/);
  });

  it('Sync now runs a sync and shows how it went', async () => {
    const before = (await app.server.status()).sync;
    const dialog = await openSettings();
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    // A new sync ran (the one at start-up does not count)…
    await expect
      .poll(async () => (await app.server.status()).sync?.startedAt, { timeout: 10_000 })
      .not.toBe(before?.startedAt);
    await expect
      .poll(async () => (await app.server.status()).sync?.state, { timeout: 10_000 })
      .toBe('succeeded');
    const after = (await app.server.status()).sync;
    // …and the dialog shows its outcome, with its counts.
    await expect
      .poll(() => dialog.locator('.sync-row').innerText({ timeout: 5000 }), { timeout: 10_000 })
      .toContain(`${after?.objectsListed} objects listed`);
    expect(await dialog.locator('.sync-row').innerText()).toMatch(/^Sync now\s+Synced /);
  });
});
