/**
 * A draft review survives a crash: answers and a comment typed in the panel are in the catalog
 * within a second, so after the server is killed (SIGKILL) and started again on the same data
 * folder, a fresh page (a new address, so nothing from the old page's storage) finds the draft.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRendererIfStale,
  launchChromium,
  openApp,
  type RestartableDemoServer,
  startRestartableDemoServer,
} from './web-app-harness.ts';

let demo: RestartableDemoServer;
let browser: Browser;

beforeAll(async () => {
  await buildRendererIfStale();
  [demo, browser] = await Promise.all([startRestartableDemoServer(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

describe('a draft review', () => {
  it('is found again after the server is killed with it open and started again', async () => {
    const call = (await demo.server.allCalls()).find((c) => c.recording !== null);
    if (!call) throw new Error('the demo has no recording');
    const { forms } = await demo.server.call('reviews:forms', {});

    const first = await openApp(browser, demo.server);
    const page = first.page;
    await page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`).click();
    await page.keyboard.press('r');
    const panel = page.getByRole('complementary', { name: 'Review' });
    const formVersion = await panel.getByRole('combobox', { name: 'Form' }).inputValue();
    const form = forms.find((f) => f.version_id === formVersion);
    const [q1, q2] = (form?.sections.flatMap((s) => s.questions) ?? []).filter((q) => q.type !== 'free_text');
    if (!q1 || !q2) throw new Error(`the form ${formVersion} has too few questions`);

    const group1 = panel.getByRole('radiogroup', { name: q1.text, exact: true });
    await expect.poll(() => group1.evaluate((g) => g.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('1');
    await page.keyboard.press('c');
    await page.keyboard.type('Talked over the customer at 0:40');
    // Saved to the catalog within a second of the last key.
    await expect
      .poll(
        () =>
          panel
            .getByRole('status')
            .filter({ hasText: /^Saved$/ })
            .count(),
        { timeout: 1500 },
      )
      .toBe(1);
    const picked =
      (await panel
        .getByRole('radiogroup', { name: q2.text, exact: true })
        .getByRole('radio', { checked: true })
        .getAttribute('value')) ?? '';

    await demo.kill();
    expect(first.errors.filter((e) => !/Failed to load resource|EventSource|ERR_CONNECTION/.test(e))).toEqual(
      [],
    );
    await first.context.close();

    const server = await demo.restart();
    const second = await openApp(browser, server);
    const row = second.page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`);
    await expect.poll(() => row.locator('.cell-review').innerText()).toBe('Draft');
    await row.click();
    await second.page.keyboard.press('r');
    const again = second.page.getByRole('complementary', { name: 'Review' });
    const radio1 = again
      .getByRole('radiogroup', { name: q1.text, exact: true })
      .getByRole('radio', { checked: true });
    const radio2 = again
      .getByRole('radiogroup', { name: q2.text, exact: true })
      .getByRole('radio', { checked: true });
    const firstOption = (q: typeof q1) => ('options' in q ? (q.options[0]?.id ?? '') : '1');
    await expect.poll(() => radio1.getAttribute('value')).toBe(firstOption(q1));
    expect(await radio2.getAttribute('value')).toBe(picked);
    expect(await again.getByRole('textbox', { name: `Comment on “${q2.text}”` }).inputValue()).toBe(
      'Talked over the customer at 0:40',
    );
    expect(second.errors).toEqual([]);
    await second.context.close();
  }, 90_000);
});
