/** The player against the real demo server: playback, waveform, seeking over Range, controls. */
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CallRow } from '../../../shared/contract.ts';
import { audioState, waitForAudioTime, useWebApp } from './web-app-harness.ts';

const app = useWebApp();

/** The n-th demo call with a recording, and its row in the grid. */
function recorded(n = 0): CallRow & { recording: NonNullable<CallRow['recording']> } {
  const call = app.calls.filter((c) => c.recording !== null)[n];
  if (!call?.recording) throw new Error('the demo has too few recordings');
  return call as CallRow & { recording: NonNullable<CallRow['recording']> };
}

/** The demo call with the longest recording: minutes long, where the others are seconds. */
function longestRecorded(): CallRow & { recording: NonNullable<CallRow['recording']> } {
  const withRecording = app.calls.filter((c) => c.recording !== null);
  const call = withRecording.reduce((a, b) => ((b.duration ?? 0) > (a.duration ?? 0) ? b : a), recorded(0));
  return call as CallRow & { recording: NonNullable<CallRow['recording']> };
}

const rowOf = (call: CallRow) =>
  app.page.locator(`[role="row"][data-interaction-id="${call.interaction_id}"]`);
const mediaPath = (key: string) => `/media/recordings/${encodeURIComponent(key)}`;

describe('the player', () => {
  it('plays the selected call from the media route, and the audio advances', async () => {
    await app.open();
    const call = recorded(1);
    await rowOf(call).click();
    await app.page.getByRole('button', { name: 'Play', exact: true }).click();

    await app.page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
    await waitForAudioTime(app.page, 0.6);
    const playing = await audioState(app.page);
    expect(playing.paused).toBe(false);
    expect(new URL(playing.src).pathname).toBe(mediaPath(call.recording.key));
    expect(playing.src).not.toMatch(/X-Amz-|Signature=/); // streamed through the app, never presigned
    await expect
      .poll(() => app.page.getByRole('region', { name: 'Player' }).locator('.now-title').innerText())
      .toContain(call.customer_name ?? '');

    await app.page.getByRole('button', { name: 'Pause', exact: true }).click();
    await app.page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    const stoppedAt = (await audioState(app.page)).currentTime;
    await app.page.waitForTimeout(400);
    expect((await audioState(app.page)).currentTime).toBe(stoppedAt);
  });

  it('draws a stereo call as Agent and Customer lanes, computing the peaks once and saving them', async () => {
    const call = recorded(0);
    expect(await app.server.call('recordings:waveform', { key: call.recording.key })).toBeNull();

    await app.open();
    await rowOf(call).dblclick();
    const canvas = app.page.getByRole('img', { name: /Waveform with two channels/ });
    await canvas.waitFor();
    await expect.poll(() => canvas.getAttribute('data-channels')).toBe('2');
    const lanes = app.page.locator('.lane-label');
    expect(await lanes.allInnerTexts()).toEqual(['Agent', 'Customer']);
    expect(await paintedPixels(app.page)).toBeGreaterThan(2000);

    // The peaks are in the catalog now: 1000–2000 per channel, 0..1, not silence.
    const saved = await expect
      .poll(() => app.server.call('recordings:waveform', { key: call.recording.key }), { timeout: 5000 })
      .not.toBeNull()
      .then(() => app.server.call('recordings:waveform', { key: call.recording.key }));
    expect(saved?.channels).toHaveLength(2);
    for (const peaks of saved?.channels ?? []) {
      expect(peaks.length).toBeGreaterThanOrEqual(1000);
      expect(peaks.length).toBeLessThanOrEqual(2000);
      expect(Math.max(...peaks)).toBeGreaterThan(0.05);
    }
    await app.page.context().close();

    // A new window draws it from the catalog: no whole-file fetch to decode it again.
    await app.open();
    const wholeFileFetches: string[] = [];
    app.page.on('request', (request) => {
      if (request.url().includes('/media/') && request.headers()['range'] === undefined) {
        wholeFileFetches.push(request.url());
      }
    });
    await rowOf(call).dblclick();
    await expect.poll(() => app.page.locator('canvas').getAttribute('data-channels')).toBe('2');
    expect(await paintedPixels(app.page)).toBeGreaterThan(2000);
    expect(wholeFileFetches).toEqual([]);
  });

  it('seeks where the Seek bar is set, streaming with HTTP Range requests (206)', async () => {
    await app.open();
    const call = recorded(2);
    const media: Request[] = [];
    app.page.on('request', (request) => {
      if (request.url().includes(mediaPath(call.recording.key)) && request.resourceType() === 'media')
        media.push(request);
    });
    await rowOf(call).dblclick();
    await waitForAudioTime(app.page, 0.3);

    const seek = app.page.getByRole('slider', { name: 'Seek' });
    await seek.fill('8');
    await waitForAudioTime(app.page, 8, 3000);
    await waitForAudioTime(app.page, 8.5, 5000); // and plays on from there
    expect(Number(await seek.inputValue())).toBeGreaterThanOrEqual(8);
    expect(await seek.getAttribute('aria-valuetext')).toMatch(/^\d+ seconds? of \d+ seconds?$/);

    expect(media.length).toBeGreaterThan(0);
    for (const request of media) {
      expect(request.headers()['range']).toMatch(/^bytes=\d+-\d*$/);
      const response = await request.response();
      expect(response?.status()).toBe(206);
      expect(response?.headers()['content-range']).toMatch(/^bytes \d+-\d+\/\d+$/);
    }
  });

  it('a seek far past what has arrived issues a new Range request for the later bytes (206)', async () => {
    await app.open();
    const call = longestRecorded();
    const size = call.recording.size;
    if (size === null) throw new Error('the long recording has no size in the catalog');
    expect(call.duration).toBeGreaterThanOrEqual(150);

    // Over loopback the whole file would arrive at once, and Chromium reads at least 2 MB ahead of
    // playback: slow the link to 48 KB/s (about 25× the recording's bit rate, so it plays without
    // stalling) as a real one to S3 would be, and bypass the HTTP cache so every read reaches the
    // server.
    const cdp = await app.page.context().newCDPSession(app.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: 48 * 1024,
      uploadThroughput: -1,
    });
    const media: Request[] = [];
    app.page.on('request', (request) => {
      if (request.url().includes(mediaPath(call.recording.key)) && request.resourceType() === 'media')
        media.push(request);
    });

    await rowOf(call).dblclick();
    await waitForAudioTime(app.page, 0.3);
    const seek = app.page.getByRole('slider', { name: 'Seek' });
    const target = Math.round((call.duration ?? 0) * 0.8);
    await seek.fill(String(target));

    // It plays on from there: past the target, not far past it, and still advancing.
    await waitForAudioTime(app.page, target + 0.5, 15_000);
    const resumed = await audioState(app.page);
    expect(resumed.paused).toBe(false);
    expect(resumed.currentTime).toBeLessThan(target + 5);
    await waitForAudioTime(app.page, resumed.currentTime + 0.5, 5000);
    expect(Number(await seek.inputValue())).toBeGreaterThanOrEqual(target);

    // The later bytes came from a new request that starts past the half of the file.
    const rangeStart = (request: Request) =>
      Number(/^bytes=(\d+)-$/.exec(request.headers()['range'] ?? '')?.[1]);
    const later = media.find((request) => rangeStart(request) > 0);
    if (!later)
      throw new Error(`no later Range request: ${media.map((r) => r.headers()['range']).join(', ')}`);
    const start = rangeStart(later);
    expect(start).toBeGreaterThan(size / 2);
    const response = await later.response();
    expect(response?.status()).toBe(206);
    expect(response?.headers()['content-range']).toBe(`bytes ${start}-${size - 1}/${size}`);
  });

  it('seeks to the point clicked on the waveform', async () => {
    await app.open();
    const call = recorded(0);
    await rowOf(call).dblclick();
    await waitForAudioTime(app.page, 0.2);
    // Pause, so the clock stays where the click puts it (Space in the list would tick the row).
    await app.page.getByRole('button', { name: 'Pause', exact: true }).click();
    const canvas = app.page.locator('canvas.waveform-canvas');
    await expect.poll(() => canvas.getAttribute('data-channels')).not.toBe('0');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the waveform is not on screen');
    await app.page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);

    const { currentTime } = await audioState(app.page);
    const duration = await app.page.evaluate(() => document.querySelector('audio')?.duration ?? 0);
    expect(currentTime).toBeGreaterThan(duration * 0.75 - 0.3);
    expect(currentTime).toBeLessThan(duration * 0.75 + 0.3);
  });

  it('changes speed, skips 5 s either way and sets the volume', async () => {
    await app.open();
    await rowOf(recorded(0)).dblclick();
    await waitForAudioTime(app.page, 0.2);
    await app.page.getByRole('button', { name: 'Pause', exact: true }).click();

    await app.page.getByRole('combobox', { name: 'Speed' }).selectOption('1.5');
    expect((await audioState(app.page)).rate).toBe(1.5);

    const before = (await audioState(app.page)).currentTime;
    await app.page.getByRole('button', { name: 'Forward 5 seconds' }).click();
    expect((await audioState(app.page)).currentTime).toBeCloseTo(before + 5, 1);
    await app.page.getByRole('button', { name: 'Back 5 seconds' }).click();
    expect((await audioState(app.page)).currentTime).toBeCloseTo(before, 1);
    await app.page.getByRole('button', { name: 'Back 5 seconds' }).click();
    expect((await audioState(app.page)).currentTime).toBe(0); // not before the start

    await app.page.getByRole('slider', { name: 'Volume' }).fill('0.3');
    expect(await app.page.evaluate(() => document.querySelector('audio')?.volume)).toBeCloseTo(0.3, 2);
    await app.page.getByRole('button', { name: 'Mute' }).click();
    expect(await app.page.evaluate(() => document.querySelector('audio')?.muted)).toBe(true);
    await expect
      .poll(() => app.page.getByRole('button', { name: 'Mute' }).getAttribute('aria-pressed'))
      .toBe('true');
  });

  it('a call without a recording says so once; Enter on it neither marks it playing nor repeats it', async () => {
    await app.open();
    const without = app.calls.find((c) => c.recording === null);
    if (!without) throw new Error('the demo has no call without a recording');
    await rowOf(without).click();
    const player = app.page.getByRole('region', { name: 'Player' });
    await expect.poll(() => player.innerText()).toContain('This call has no recording.');
    expect(await player.getByRole('button', { name: 'Play', exact: true }).isDisabled()).toBe(true);
    expect(await player.innerText()).not.toContain('Press Play');

    await app.page.keyboard.press('Enter');
    await app.page.waitForTimeout(300);
    expect(await rowOf(without).locator('.playing-mark').count()).toBe(0);
    expect((await player.innerText()).split('This call has no recording.').length - 1).toBe(1);
    expect(await app.page.getByRole('alert').filter({ hasText: 'no recording' }).count()).toBe(0);
    expect((await audioState(app.page)).src).toBe('');
  });

  it('with Auto-advance on, the next call with a recording plays when one ends', async () => {
    await app.open();
    const first = recorded(0);
    const next = recorded(1);
    await app.page.getByRole('checkbox', { name: 'Auto-advance' }).check();
    await rowOf(first).dblclick();
    await waitForAudioTime(app.page, 0.2);
    const duration = await app.page.evaluate(() => document.querySelector('audio')?.duration ?? 0);
    await app.page.getByRole('slider', { name: 'Seek' }).fill(String(Math.max(0, duration - 0.5)));
    await expect
      .poll(async () => new URL((await audioState(app.page)).src).pathname, { timeout: 10_000 })
      .toBe(mediaPath(next.recording.key));
    await waitForAudioTime(app.page, 0.2);
    expect(await rowOf(next).getAttribute('aria-selected')).toBe('true');

    // The choice is kept: after a reload it is still on.
    await app.page.reload();
    await app.page.getByRole('grid', { name: 'Calls' }).getByRole('row').nth(1).waitFor();
    expect(await app.page.getByRole('checkbox', { name: 'Auto-advance' }).isChecked()).toBe(true);
  });
});

/** How many pixels of the waveform canvas hold paint: a blank canvas has none. */
function paintedPixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas.waveform-canvas');
    const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < (data?.length ?? 0); i += 4) if ((data?.[i] ?? 0) > 0) painted++;
    return painted;
  });
}
