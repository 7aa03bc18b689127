/**
 * The review queue's sampling plan in web mode on the demo library (August 2025): a period whose
 * first day is after its last cannot be submitted, the same plan and seed draw the same calls, and
 * J then opens the review panel on the queue's next call.
 */
import { describe, expect, it } from 'vitest';
import { useWebApp } from './web-app-harness.ts';

const app = useWebApp();

describe('the review queue', () => {
  it('refuses a reversed period, draws the same calls for the same seed, and J opens the review', async () => {
    await app.open();
    const { page } = app;
    await page.getByRole('button', { name: 'Review queue…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review queue' });
    const from = dialog.getByLabel('From', { exact: true });
    const to = dialog.getByLabel('To', { exact: true });
    const status = dialog.getByRole('status');

    // The last day before the first: the form says which field is wrong and draws nothing.
    await from.fill('2025-08-31');
    await to.fill('2025-08-01');
    await dialog.getByRole('button', { name: 'Fill the queue' }).click();
    expect(await to.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
    expect(await status.count()).toBe(0);

    await to.fill('2025-08-31');
    await from.fill('2025-08-01');
    // A seed of 10 digits is shown whole.
    const seed = dialog.getByRole('spinbutton', { name: 'Seed' });
    await seed.fill('2147483647');
    expect(await seed.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
    await seed.fill('42');
    await dialog.getByRole('button', { name: 'Fill the queue' }).click();
    await status.waitFor();
    const drawn = await status.innerText();
    const [, count, considered] = /^Drew (\d+) calls? of (\d+) calls?/.exec(drawn) ?? [];
    expect(Number(count)).toBeGreaterThan(0);
    expect(Number(count)).toBeLessThanOrEqual(Number(considered));

    // The same plan and seed: the same draw.
    await dialog.getByRole('button', { name: 'Fill the queue' }).click();
    await expect.poll(() => status.innerText()).toBe(drawn);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.keyboard.press('j');
    await page.getByRole('complementary', { name: 'Review' }).waitFor();
  });
});
