/**
 * The README's screenshot and the layout screenshots: the real app on the demo library, a stereo
 * call playing with its waveform and its transcript, two calls ticked for download.
 *
 *   node --import tsx test/e2e/web/take-screenshot.ts         docs/screenshot.png (1400×900, light)
 *   node --import tsx test/e2e/web/take-screenshot.ts dark    docs/screenshot-dark.png
 *   node --import tsx test/e2e/web/take-screenshot.ts sizes   docs/screenshots/{W}x{H}-{light,dark}.png
 *                                                             at 1400×900, 1280×720, 1024×768, 800×600
 *
 * Where pngquant is installed (Debian: apt-get install pngquant), each PNG is reduced to a palette of
 * at most 256 colours: a UI in flat colours loses nothing visible, and the files shrink several times.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { CallRow } from '../../../shared/contract.ts';
import {
  buildRendererIfStale,
  type DemoServer,
  launchChromium,
  startDemoServer,
  waitForAudioTime,
} from './web-app-harness.ts';

const docs = (name: string) => fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url));
const SIZES = [
  [1400, 900],
  [1280, 720],
  [1024, 768],
  [800, 600],
] as const;

async function shoot(
  browser: Browser,
  server: DemoServer,
  calls: readonly CallRow[],
  shot: { width: number; height: number; scheme: 'light' | 'dark'; path: string },
): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    colorScheme: shot.scheme,
  });
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.locator('[role="row"][data-interaction-id]').first().waitFor();
    const stereo = calls.find((c) => c.recording !== null && c.outcome !== null);
    if (!stereo) throw new Error('no recorded call in the demo');
    const row = (id: string) => page.locator(`[role="row"][data-interaction-id="${id}"]`);
    for (const call of calls.filter((c) => c.recording !== null && c !== stereo).slice(1, 3)) {
      await row(call.interaction_id).getByRole('checkbox').check();
    }
    await row(stereo.interaction_id).dblclick();
    await page.locator('canvas[data-channels="2"]').waitFor();
    // The transcript beside the list, following the call as it plays.
    await page.keyboard.press('t');
    await page.getByRole('complementary', { name: 'Transcript' }).getByRole('listitem').first().waitFor();
    await waitForAudioTime(page, 4.2);
    await page.mouse.move(0, 0); // no hover effect in the picture
    await page.screenshot({ path: shot.path });
    compress(shot.path);
    console.log(`wrote ${shot.path}`);
  } finally {
    await context.close();
  }
}

function compress(path: string): void {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality=70-95', '--output', path, path], {
      stdio: 'ignore',
    });
  } catch {
    // No pngquant (or nothing gained): the full-colour PNG stays.
  }
}

const mode = process.argv[2] ?? 'readme';
await buildRendererIfStale();
const server = await startDemoServer();
const browser = await launchChromium();
try {
  const calls = await server.allCalls();
  if (mode === 'sizes') {
    mkdirSync(docs('screenshots'), { recursive: true });
    for (const [width, height] of SIZES) {
      for (const scheme of ['light', 'dark'] as const) {
        const path = docs(`screenshots/${width}x${height}-${scheme}.png`);
        await shoot(browser, server, calls, { width, height, scheme, path });
      }
    }
  } else {
    const dark = mode === 'dark';
    const path = docs(`screenshot${dark ? '-dark' : ''}.png`);
    await shoot(browser, server, calls, { width: 1400, height: 900, scheme: dark ? 'dark' : 'light', path });
  }
} finally {
  await browser.close();
  await server.stop();
}
