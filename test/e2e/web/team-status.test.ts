/**
 * The team status in the window, in web mode, with `team:status` answered by a fake (the demo
 * library shares nothing): the banner counting changes not yet shared and saying why, the header's
 * indicator of who this machine shares as (not verified here, and why that matters), and the refused
 * objects listed in its dialog, reached by keyboard.
 */
import { describe, expect, it } from 'vitest';
import type { TeamStatus } from '../../../renderer/src/team/team-text.ts';
import { useWebApp } from './web-app-harness.ts';

const app = useWebApp({ closeEachTest: false });

const OFFLINE: TeamStatus = {
  enabled: true,
  location: 's3://calls/tapedeck/',
  reviewer: { reviewerId: 'ana.qa', name: 'ana.qa', arn: null },
  verified: false,
  outbox: 3,
  lastPull: '2025-08-08T12:00:00.000Z',
  lastPush: null,
  error: 'S3 is not answering (connect ECONNREFUSED): the changes are kept and sent when it answers.',
  refused: [{ key: 'v1/events/bob/01J00000000000000000000000.json', reason: 'written under bob by alice' }],
  reviewers: [{ reviewerId: 'ana.qa', name: 'ana.qa', arn: null, reviews: 12 }],
};

describe('the team status', () => {
  it('shows unshared changes, an unverified identity and the refused objects', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(8000);
    const errors: string[] = [];
    try {
      await context.route('**/api/ipc/team:status', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({ ok: true, value: OFFLINE }),
        }),
      );
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${app.server.url}/`);

      const banner = page.getByRole('status', { name: 'Team sharing' });
      await expect.poll(() => banner.innerText()).toContain(`3 changes not yet shared — ${OFFLINE.error}`);
      // On screen above the list, not squeezed under it.
      const bannerBox = await banner.boundingBox();
      const listBox = await page.getByRole('region', { name: 'Call list' }).boundingBox();
      expect(bannerBox!.height).toBeGreaterThan(20);
      expect(bannerBox!.y + bannerBox!.height).toBeLessThanOrEqual(listBox!.y);

      const indicator = page
        .getByRole('navigation', { name: 'App' })
        .getByRole('button', { name: /Identity not verified on this server/ });
      await indicator.waitFor();
      const describedBy = await indicator.getAttribute('aria-describedby');
      await expect
        .poll(() => page.locator(`[id="${describedBy}"]`).textContent())
        .toMatch(/cannot confirm who the credentials belong to/);

      await indicator.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Team sharing' });
      const refused = dialog.getByRole('region', { name: 'Refused objects' }).getByRole('listitem');
      await expect
        .poll(() => refused.allInnerTexts())
        .toEqual([`${OFFLINE.refused[0]!.key}: ${OFFLINE.refused[0]!.reason}`]);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
