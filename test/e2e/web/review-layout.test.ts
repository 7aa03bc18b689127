/**
 * The review panel, the reports and the forms at the smallest window Tapedeck allows (720×480),
 * dark: nothing scrolls sideways, the panel lies over the list with the player still in reach, the
 * reports' charts have their tables one click away, and a bad form file names its bad field.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useWebApp } from './web-app-harness.ts';

const app = useWebApp({ closeEachTest: false });

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, 'the page scrolls sideways').toBeLessThanOrEqual(client);
}

describe('reviews at 720×480, dark', () => {
  it('fits the panel, the reports and the forms on the window', async () => {
    // One submitted review, by a script over the local API, so the reports have numbers.
    const posted = await fetch(`${app.server.url}/reviews`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        interaction_id: app.calls[0]!.interaction_id,
        form_version_id: 'general-1',
        answers: [
          { question_id: 'greeting', option_id: 'yes' },
          { question_id: 'resolved', option_id: 'partly' },
          { question_id: 'tone', value: 4 },
          { question_id: 'closing', option_id: 'no' },
        ],
        submit: true,
      }),
    });
    expect(posted.status).toBe(201);
    const context = await app.browser.newContext({
      viewport: { width: 720, height: 480 },
      colorScheme: 'dark',
    });
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.server.url}/`);
    const grid = page.getByRole('grid', { name: 'Calls' });
    await grid.getByRole('row').nth(1).waitFor();
    await grid.focus();

    await page.keyboard.press('r');
    const panel = page.getByRole('complementary', { name: 'Review' });
    await panel.getByRole('radiogroup').first().waitFor();
    await noSidewaysScroll(page);
    const box = await panel.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 720).toBe(true);
    // The player's controls stay uncovered.
    await page.getByRole('button', { name: /^(Play|Pause)$/ }).click({ trial: true });
    await page.screenshot({ path: '/tmp/review-panel-720.png' });

    await page.getByRole('button', { name: 'Close review' }).click();
    await page.getByRole('button', { name: 'Reports' }).click();
    const reports = page.getByRole('dialog', { name: 'Review reports' });
    await reports.getByRole('heading', { name: 'Average score by week' }).waitFor();
    await noSidewaysScroll(page);
    await reports.getByRole('button', { name: 'Show Reviews per reviewer as a table' }).click();
    await reports.getByRole('columnheader', { name: 'Reviewer' }).waitFor();
    await page.screenshot({ path: '/tmp/review-reports-720.png' });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Forms…' }).click();
    const forms = page.getByRole('dialog', { name: 'Review forms' });
    await forms
      .getByRole('button', { name: /^Export .* as JSON$/ })
      .first()
      .waitFor();
    const bad = {
      form_id: 'bad',
      version_id: 'bad-1',
      title: 'Bad',
      pass_mark: 80,
      sections: [
        { id: 's', title: 'S', questions: [{ id: 'q', text: 'Q', type: 'single_choice', options: [] }] },
      ],
    };
    await forms.getByLabel('Form file to import').setInputFiles({
      name: 'bad-form.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(bad)),
    });
    await expect
      .poll(() => forms.getByRole('alert').innerText())
      .toMatch(/bad-form\.json .*sections\[0\]\.questions\[0\]\.options: at least 2/);
    await noSidewaysScroll(page);
    expect(errors).toEqual([]);
    await context.close();
  });
});
