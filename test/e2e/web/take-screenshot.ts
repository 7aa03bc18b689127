/**
 * The README's screenshot: the real app on the demo library at 1280×800, a stereo call playing with
 * its waveform, two calls ticked for download. Run: `node --import tsx test/e2e/web/take-screenshot.ts`
 * (writes docs/screenshot.png; add `dark` for the dark theme to docs/screenshot-dark.png).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildRendererIfStale,
  launchChromium,
  openApp,
  startDemoServer,
  waitForAudioTime,
} from './web-app-harness.ts';

const dark = process.argv.includes('dark');
const out = fileURLToPath(new URL(`../../../docs/screenshot${dark ? '-dark' : ''}.png`, import.meta.url));

await buildRendererIfStale();
const server = await startDemoServer();
const browser = await launchChromium();
try {
  const { page } = await openApp(browser, server, { colorScheme: dark ? 'dark' : 'light' });
  const calls = await server.allCalls();
  const stereo = calls.find((c) => c.recording !== null && c.outcome !== null);
  if (!stereo) throw new Error('no recorded call in the demo');
  const row = (id: string) => page.locator(`[role="row"][data-interaction-id="${id}"]`);
  for (const call of calls.filter((c) => c.recording !== null && c !== stereo).slice(1, 3)) {
    await row(call.interaction_id).getByRole('checkbox').check();
  }
  await row(stereo.interaction_id).dblclick();
  await page.locator('canvas[data-channels="2"]').waitFor();
  await waitForAudioTime(page, 4.2);
  mkdirSync(fileURLToPath(new URL('../../../docs/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
