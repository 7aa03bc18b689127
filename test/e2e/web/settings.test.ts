/** The settings dialog against the real demo server: what it shows, what it locks, what it reports. */
import { describe, expect, it } from 'vitest';
import { useWebApp } from './web-app-harness.ts';

const app = useWebApp({ openEachTest: true });

async function openSettings() {
  await app.page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Bucket', { exact: true }).waitFor();
  return dialog;
}

describe('settings', () => {
  it('shows what the environment sets as read-only, and never pre-fills a key', async () => {
    const dialog = await openSettings();
    const downloads = dialog.getByLabel('Downloads folder');
    expect(await downloads.inputValue()).toBe(app.server.downloadsDir);
    expect(await downloads.getAttribute('readonly')).not.toBeNull();
    expect(
      await dialog
        .getByRole('textbox', { name: 'Downloads folder', description: 'Set by environment' })
        .count(),
    ).toBe(1);
    expect(await dialog.getByLabel('API port').getAttribute('readonly')).not.toBeNull();
    expect(await dialog.getByLabel('Bucket', { exact: true }).getAttribute('readonly')).toBeNull();

    await dialog.getByRole('radio', { name: /Access keys stored in Tapedeck/ }).check();
    for (const label of ['Access key id', 'Secret access key', 'Session token (optional)']) {
      const field = dialog.getByLabel(label);
      expect(await field.getAttribute('type')).toBe('password');
      expect(await field.inputValue()).toBe('');
    }

    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('Test connection shows the server’s message for the settings typed', async () => {
    const dialog = await openSettings();
    await dialog.getByLabel('Bucket', { exact: true }).fill('calls-that-do-not-exist');
    await dialog.getByLabel('Region').fill('us-east-1');
    await dialog.getByLabel('Endpoint').fill('http://127.0.0.1:9');
    await dialog.getByRole('button', { name: 'Test connection' }).click();

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
    await expect
      .poll(() => dialog.locator('.form-error').innerText({ timeout: 5000 }))
      .toBe(expected.message);
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
