/**
 * A reviewer's day at any window size: at 1400×900, 1280×720, 1024×768 and 800×600, light and dark,
 * the page never scrolls sideways, the list shows enough rows with the digits and times reviewers
 * read, and the player's controls are in view and uncovered: after a bulk download (its notice, the
 * Downloads panel it opens) too.
 */
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { useWebApp } from './web-app-harness.ts';

const SIZES = [
  { width: 1400, height: 900 },
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 800, height: 600 },
] as const;

const app = useWebApp({ closeEachTest: false });
let page: Page | undefined;
let errors: string[] = [];

afterEach(async () => {
  await page?.context().close();
  page = undefined;
  const logged = errors;
  errors = [];
  expect(logged, 'the page logged errors').toEqual([]);
});

async function openAt(size: { width: number; height: number }, colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await app.browser.newContext({ viewport: size, colorScheme });
  context.setDefaultTimeout(8000);
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${app.server.url}/`);
  await page.locator('.call-scroll [role="row"][data-interaction-id]').first().waitFor();
  return page;
}

/** The page is no wider than the window. */
async function sidewaysOverflow(on: Page): Promise<number> {
  return on.evaluate(
    () =>
      Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) -
      document.documentElement.clientWidth,
  );
}

/** Rows of the grid wholly inside its scrolling area. */
async function wholeRowsShown(on: Page): Promise<number> {
  return on.evaluate(() => {
    const area = document.querySelector('.call-scroll')?.getBoundingClientRect();
    if (!area) return 0;
    return [...document.querySelectorAll('.call-scroll [role="row"][data-interaction-id]')].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.top >= area.top - 0.5 && box.bottom <= area.bottom + 0.5 && box.bottom <= window.innerHeight;
    }).length;
  });
}

/** Whether the element is on screen, not clipped by the window, and the topmost thing at its centre. */
async function uncovered(control: Locator): Promise<{ visible: boolean; inWindow: boolean; onTop: boolean }> {
  await control.waitFor({ state: 'visible' });
  return control.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const inWindow =
      box.width > 0 &&
      box.left >= 0 &&
      box.top >= 0 &&
      box.right <= window.innerWidth &&
      box.bottom <= window.innerHeight;
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      visible: box.width > 0 && box.height > 0,
      inWindow,
      onTop: hit !== null && element.contains(hit),
    };
  });
}

async function expectPlayerControlsUncovered(on: Page, when: string): Promise<void> {
  const player = on.getByRole('region', { name: 'Player' });
  const controls: Array<[string, Locator]> = [
    ['Play', player.getByRole('button', { name: 'Play', exact: true })],
    ['Download', player.getByRole('button', { name: 'Download', exact: true })],
    ['Speed', player.getByRole('combobox', { name: 'Speed' })],
    ['Volume', player.getByRole('slider', { name: 'Volume' })],
  ];
  for (const [name, control] of controls) {
    expect(await uncovered(control), `${name} ${when}`).toEqual({
      visible: true,
      inWindow: true,
      onTop: true,
    });
  }
}

/** The first row's phone ends with the call's last four digits, and its start time, both shown whole. */
async function expectFirstRowReadable(on: Page, first: CallRow): Promise<void> {
  const row = on.locator(`[role="row"][data-interaction-id="${first.interaction_id}"]`);
  const digits = (first.phone ?? '').replace(/\D/g, '').slice(-4);
  expect(digits).toHaveLength(4);
  const phone = await row.locator('.cell-phone').evaluate((cell) => {
    const text = cell.querySelector('.phone-digits');
    const c = cell.getBoundingClientRect();
    const t = text?.getBoundingClientRect();
    return {
      text: (text?.textContent ?? '').replace(/\D/g, ''),
      // The digits' right end is inside the cell: the last four are not cut off.
      endShown: t !== undefined && t.right <= c.right + 0.5 && t.right > c.left && c.width > 0,
      inWindow: c.right <= window.innerWidth,
    };
  });
  expect(phone.text.endsWith(digits)).toBe(true);
  expect(phone).toMatchObject({ endShown: true, inWindow: true });

  const time = await row.locator('.cell-time').evaluate((cell) => {
    const c = cell.getBoundingClientRect();
    return {
      text: cell.textContent ?? '',
      whole: cell.scrollWidth <= cell.clientWidth && c.width > 0,
      inWindow: c.right <= window.innerWidth,
    };
  });
  expect(time.text).toMatch(/\d{1,2}:\d{2}/); // the time, not just the date
  expect(time).toMatchObject({ whole: true, inWindow: true });
}

describe('the layout at common window sizes', () => {
  for (const size of SIZES) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`${size.width}×${size.height} ${scheme}: no sideways scroll, 5+ rows readable, the player's controls uncovered`, async () => {
        const on = await openAt(size, scheme);
        const first = app.calls[0];
        if (!first) throw new Error('the demo has no calls');
        expect(await sidewaysOverflow(on)).toBe(0);
        expect(await wholeRowsShown(on)).toBeGreaterThanOrEqual(5);
        await expectFirstRowReadable(on, first);
        await expectPlayerControlsUncovered(on, 'on opening');
      });
    }

    it(`${size.width}×${size.height}: after "Download selected (4)" and with the Downloads panel open, nothing is covered or pushed off`, async () => {
      const on = await openAt(size, 'light');
      const recorded = app.calls.filter((c) => c.recording !== null).slice(0, 4);
      expect(recorded).toHaveLength(4);
      for (const call of recorded) {
        await on
          .locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`)
          .getByRole('checkbox')
          .click();
      }
      await on.getByRole('button', { name: 'Download selected (4)' }).click();
      // One notice for the whole action, not one per file.
      const notices = on.locator('.notices .notice');
      await expect
        .poll(
          () =>
            notices
              .filter({ hasText: /^(Saved 4 calls|4 already saved|Saved \d+ calls?; \d+ already saved)/ })
              .count(),
          { timeout: 15_000 },
        )
        .toBe(1);
      expect(await notices.count()).toBe(1);
      expect(await on.locator('.notices [role="status"]').getAttribute('aria-live')).toBe('polite');

      const panel = on.getByRole('complementary', { name: 'Downloads' });
      await panel.waitFor();
      await expectPlayerControlsUncovered(on, 'after a bulk download with the panel open');
      expect(await sidewaysOverflow(on)).toBe(0);
      const box = await panel.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height).toBe(
        true,
      );
      expect(await uncovered(panel.getByRole('button', { name: 'Close downloads' }))).toEqual({
        visible: true,
        inWindow: true,
        onTop: true,
      });
      // The header's buttons stay on screen too.
      for (const name of ['Downloads', 'Settings']) {
        expect(await uncovered(on.getByRole('button', { name, exact: true })), name).toMatchObject({
          inWindow: true,
        });
      }
    });
  }
});
