import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../electron/core/logger.ts';
import {
  WINDOW_STATE_FILE,
  isReachable,
  parseWindowState,
  readWindowState,
  writeWindowState,
  type Rect,
} from '../../../electron/main/window-state.ts';

const laptop: Rect = { x: 0, y: 25, width: 1440, height: 875 };
/** A second monitor to the left of the laptop: negative x is a real place. */
const leftMonitor: Rect = { x: -1920, y: 0, width: 1920, height: 1080 };

const state = (bounds: Partial<Rect> = {}, maximized = false) =>
  JSON.stringify({ version: 1, bounds: { x: 100, y: 100, width: 1200, height: 760, ...bounds }, maximized });

describe('window state validation', () => {
  it('restores a window that is on a display', () => {
    expect(parseWindowState(state(), [laptop])).toEqual({
      bounds: { x: 100, y: 100, width: 1200, height: 760 },
      maximized: false,
    });
  });

  it('restores a window on a monitor left of the main one', () => {
    expect(parseWindowState(state({ x: -1700, y: 40 }), [laptop, leftMonitor])).toMatchObject({
      bounds: { x: -1700 },
    });
  });

  it('drops a window whose monitor was unplugged', () => {
    expect(parseWindowState(state({ x: -1700, y: 40 }), [laptop])).toBe('the window would be off screen');
  });

  it('drops a window whose title bar is above every display (it could not be dragged back)', () => {
    expect(parseWindowState(state({ y: -200 }), [laptop])).toBe('the window would be off screen');
  });

  it('keeps a window that is mostly off to the right but can still be grabbed', () => {
    expect(isReachable({ x: 1300, y: 100, width: 1200, height: 760 }, [laptop])).toBe(true);
    expect(isReachable({ x: 1400, y: 100, width: 1200, height: 760 }, [laptop])).toBe(false);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    [
      'another version',
      JSON.stringify({ version: 2, bounds: { x: 0, y: 0, width: 900, height: 600 }, maximized: false }),
    ],
    ['a size below the minimum', state({ width: 10, height: 10 })],
    ['an absurd size', state({ width: 1e9 })],
    ['fractional pixels', state({ x: 10.5 })],
    ['text for a number', state({ x: '100' as unknown as number })],
    ['a missing flag', JSON.stringify({ version: 1, bounds: { x: 0, y: 0, width: 900, height: 600 } })],
    ['an array', '[]'],
    ['null', 'null'],
  ])('drops %s', (_what, text) => {
    expect(typeof parseWindowState(text, [laptop])).toBe('string');
  });
});

describe('the window state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapedeck-window-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the user-data folder', () => {
    writeWindowState(dir, { bounds: { x: 40, y: 60, width: 1000, height: 700 }, maximized: true });
    expect(readWindowState(dir, [laptop], silentLogger)).toEqual({
      bounds: { x: 40, y: 60, width: 1000, height: 700 },
      maximized: true,
    });
  });

  it('is written whole, leaving no temporary file, and replaces the previous one', () => {
    writeWindowState(dir, { bounds: { x: 1, y: 30, width: 900, height: 600 }, maximized: false });
    writeWindowState(dir, { bounds: { x: 2.4, y: 30, width: 901.6, height: 600 }, maximized: false });
    expect(readdirSync(dir)).toEqual([WINDOW_STATE_FILE]);
    expect(JSON.parse(readFileSync(join(dir, WINDOW_STATE_FILE), 'utf8'))).toMatchObject({
      bounds: { x: 2, width: 902 },
    });
  });

  it('creates the user-data folder on first write', () => {
    const nested = join(dir, 'fresh', 'Tapedeck');
    writeWindowState(nested, { bounds: { x: 1, y: 30, width: 900, height: 600 }, maximized: false });
    expect(existsSync(join(nested, WINDOW_STATE_FILE))).toBe(true);
  });

  it('opens at the default size on first run, silently', () => {
    const log = { ...silentLogger, warn: vi.fn() };
    expect(readWindowState(dir, [laptop], log)).toBeNull();
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('logs and ignores a corrupt file instead of trusting it', () => {
    writeFileSync(join(dir, WINDOW_STATE_FILE), '\u0000\u0000garbage');
    const log = { ...silentLogger, warn: vi.fn() };
    expect(readWindowState(dir, [laptop], log)).toBeNull();
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('it is not JSON'));
  });
});
