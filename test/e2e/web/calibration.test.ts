/**
 * Calibration in web mode on the demo library, with reviews by three other reviewers appended to
 * the demo's catalog as review events (as the team's sync brings them): Compare reviews from the
 * review panel (answers side by side, the spread, a reference chosen by keyboard), then the
 * Calibration report beside Reports (charts, the table of the same numbers, CSV export).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedForms } from '../../../electron/core/reviews/shipped-forms.ts';
import type { Answer } from '../../../shared/reviews/scoring.ts';
import { appendToCatalog, demoCatalogFile, submittedReviewEvents } from '../../support/seed-reviews.ts';
import { useWebApp } from './web-app-harness.ts';

const app = useWebApp();
const general = shippedForms().find((form) => form.form_id === 'general')!;
const text = (id: string) =>
  general.sections.flatMap((section) => section.questions).find((question) => question.id === id)!.text;

/** The general form: 8 points (greeting 1, resolved 2, tone 4, closing 1). */
const answers = (greeting: 'yes' | 'no', resolved: 'fully' | 'partly', tone: number): Answer[] => [
  { question_id: 'greeting', option_id: greeting },
  { question_id: 'resolved', option_id: resolved },
  { question_id: 'tone', value: tone },
  { question_id: 'closing', option_id: 'yes' },
];

beforeAll(() => {
  const [first, second] = app.calls;
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
  const reviews = [
    // The first call: alice 75 %, bob 100 %, carol 62.5 %.
    {
      interactionId: first!.interaction_id,
      reviewer: 'alice',
      answers: answers('yes', 'partly', 4),
      at: daysAgo(3),
    },
    {
      interactionId: first!.interaction_id,
      reviewer: 'bob',
      answers: answers('yes', 'fully', 5),
      at: daysAgo(2),
    },
    {
      interactionId: first!.interaction_id,
      reviewer: 'carol',
      answers: answers('no', 'partly', 4),
      at: daysAgo(2),
    },
    // The second: alice and bob both 100 %.
    {
      interactionId: second!.interaction_id,
      reviewer: 'alice',
      answers: answers('yes', 'fully', 5),
      at: daysAgo(1),
    },
    {
      interactionId: second!.interaction_id,
      reviewer: 'bob',
      answers: answers('yes', 'fully', 5),
      at: daysAgo(1),
    },
  ];
  appendToCatalog(
    demoCatalogFile(app.server.dataDir),
    reviews.flatMap((review) => submittedReviewEvents({ ...review, form: general })),
  );
});

describe('calibration', () => {
  it('compares a call’s reviews side by side, with a reference chosen by keyboard', async () => {
    await app.open();
    const { page } = app;
    const call = app.calls[0]!;
    await page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`).click();
    await page.keyboard.press('r');
    const panel = page.getByRole('complementary', { name: 'Review' });
    await panel.getByRole('region', { name: 'Other reviews' }).waitFor();
    await panel.getByRole('button', { name: 'Compare reviews (3)' }).click();

    const dialog = page.getByRole('dialog', { name: 'Compare reviews' });
    const table = dialog.getByRole('table', { name: /^Reviews side by side/ });
    await dialog.getByRole('table', { name: 'Reviews side by side · distances from the mean' }).waitFor();
    const headers = await table.getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual(['Question', 'alice', 'bob', 'carol', 'Spread']);
    const row = (name: string) =>
      table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    const cells = (name: string) => row(name).getByRole('cell').allInnerTexts();
    expect(await cells(text('greeting'))).toEqual(['Yes · 1/1', 'Yes · 1/1', 'No · 0/1', '100 % · differ']);
    expect(await cells(text('resolved'))).toEqual([
      'Partly · 1/2',
      'Fully · 2/2',
      'Partly · 1/2',
      '50 % · differ',
    ]);
    expect(await cells(text('closing'))).toEqual(['Yes · 1/1', 'Yes · 1/1', 'Yes · 1/1', '0 % · agree']);
    expect(await cells('Score')).toEqual(['75 % passed', '100 % passed', '62.5 % failed', '']);

    // The reference, by keyboard: Tab from the dialog's close button reaches its select.
    const reference = dialog.getByRole('combobox', { name: 'Reference reviewer' });
    await dialog.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => reference.evaluate((element) => element === document.activeElement)).toBe(true);
    await reference.selectOption('alice');
    await dialog.getByRole('table', { name: 'Reviews side by side · distances from alice' }).waitFor();
    await dialog.getByRole('columnheader', { name: 'alice (reference)' }).waitFor();
    expect(await cells('Score difference')).toEqual(['0 pts', '+25 pts', '−12.5 pts', '']);
    // bob: |0 − 0| + |100 − 50| + |100 − 75| + 0 over 4 questions.
    expect(await cells('Question distance')).toEqual(['0 %', '18.75 %', '25 %', '']);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it('reports per reviewer agreement and lenient or strict against a reference, as charts and a table, and exports it', async () => {
    await app.open();
    const { page } = app;
    await page.getByRole('button', { name: 'Calibration', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Calibration' });
    // The demo's own reviewer reviewed nothing: the first who did becomes the reference.
    const reference = dialog.getByRole('combobox', { name: 'Reference reviewer' });
    await expect.poll(() => reference.inputValue()).toBe('alice');
    await expect
      .poll(() => dialog.getByRole('status').innerText())
      .toBe('alice reviewed 2 calls in this period; 2 reviewers reviewed some of the same calls.');

    const table = dialog.getByRole('table', { name: 'Calibration against alice' });
    const row = (name: string) =>
      table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    expect(await row('bob').getByRole('cell').allInnerTexts()).toEqual([
      '2',
      '2',
      '8',
      '75 %',
      '+12.5 pts',
      '12.5 pts',
      'more lenient',
    ]);
    expect(await row('carol').getByRole('cell').allInnerTexts()).toEqual([
      '1',
      '1',
      '4',
      '75 %',
      '−12.5 pts',
      '12.5 pts',
      'stricter',
    ]);
    // The charts draw the same two reviewers: one bar each.
    const difference = dialog.getByRole('img', { name: /Mean score difference per reviewer chart/ });
    await expect.poll(() => difference.locator('.recharts-bar-rectangle').count()).toBe(2);
    const agreement = dialog.getByRole('img', { name: /Agreement per reviewer chart/ });
    await expect.poll(() => agreement.locator('.recharts-bar-rectangle').count()).toBe(2);

    // Another reference: bob, against whom alice is the stricter one.
    await reference.selectOption('bob');
    const againstBob = dialog.getByRole('table', { name: 'Calibration against bob' });
    await expect
      .poll(() =>
        againstBob
          .getByRole('row')
          .filter({ has: page.getByRole('rowheader', { name: 'alice', exact: true }) })
          .getByRole('cell')
          .allInnerTexts(),
      )
      .toEqual(['2', '2', '8', '75 %', '−12.5 pts', '12.5 pts', 'stricter']);

    const before = new Set(readdirSync(app.server.downloadsDir));
    await dialog.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByText(/Exported 2 reviewers to /).waitFor();
    const written = readdirSync(app.server.downloadsDir).filter((name) => !before.has(name));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^tapedeck-calibration-.*\.csv$/);
    const lines = readFileSync(join(app.server.downloadsDir, written[0]!), 'utf8').trim().split('\r\n');
    expect(lines.map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      'reviewer,reference',
      'alice,bob',
      'carol,bob',
    ]);

    // A period nobody reviewed in: no empty chart frames, the table says there is no one to compare.
    await dialog.getByLabel('From', { exact: true }).fill('2020-01-01');
    await dialog.getByLabel('To', { exact: true }).fill('2020-01-31');
    await expect
      .poll(() => dialog.getByRole('status').innerText())
      .toMatch(/reviewed 0 calls in this period/);
    expect(await dialog.getByRole('img', { name: /per reviewer chart/ }).count()).toBe(0);
    await dialog.getByRole('cell', { name: 'No other reviewer in this period.' }).waitFor();
  });
});
