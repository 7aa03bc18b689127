/**
 * The main window's size and place, remembered between runs in `window-state.json` in the user-data
 * folder. Like everything read from disk, it is validated before use: a file that is not ours, a
 * size that is absurd or a window that would open off every screen (a monitor was unplugged) is
 * logged and dropped, and the window opens centred at the default size instead.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../core/logger.ts';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 720, height: 480 } as const;
/** Bigger than any display; a larger value is corruption, not a preference. */
const MAX_EDGE = 16_384;
/** How much of the window's top edge (where it is dragged from) must lie on some display. */
const GRAB_STRIP = { height: 32, minVisibleWidth: 120, minVisibleHeight: 16 } as const;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

const coordinate = z.number().int().min(-MAX_EDGE).max(MAX_EDGE);
const windowStateSchema = z.object({
  version: z.literal(1),
  bounds: z.object({
    x: coordinate,
    y: coordinate,
    width: z.number().int().min(MIN_WINDOW_SIZE.width).max(MAX_EDGE),
    height: z.number().int().min(MIN_WINDOW_SIZE.height).max(MAX_EDGE),
  }),
  maximized: z.boolean(),
});

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Whether the window can be grabbed: enough of its top strip lies on one display's work area. */
export function isReachable(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const strip: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: GRAB_STRIP.height };
  return workAreas.some((area) => {
    const visible = overlap(strip, area);
    return visible.width >= GRAB_STRIP.minVisibleWidth && visible.height >= GRAB_STRIP.minVisibleHeight;
  });
}

/** The state to restore, or why it cannot be used. Never throws. */
export function parseWindowState(text: string, workAreas: readonly Rect[]): WindowState | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  const parsed = windowStateSchema.safeParse(json);
  if (!parsed.success) return `it does not match the schema (${parsed.error.issues[0]?.message ?? ''})`;
  const { bounds, maximized } = parsed.data;
  if (!isReachable(bounds, workAreas)) return 'the window would be off screen';
  return { bounds, maximized };
}

/** The saved state, or null (open centred at the default size) when there is none or it is unusable. */
export function readWindowState(
  dataDir: string,
  workAreas: readonly Rect[],
  log: Logger,
): WindowState | null {
  const file = join(dataDir, WINDOW_STATE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // first run
  }
  const state = parseWindowState(text, workAreas);
  if (typeof state === 'string') {
    log.warn(`ignoring ${file}: ${state}`);
    return null;
  }
  return state;
}

/**
 * Writes the state atomically (a temporary file, then a rename), so a crash mid-write leaves the
 * previous file, never half of one.
 */
export function writeWindowState(dataDir: string, state: WindowState): void {
  const file = join(dataDir, WINDOW_STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const bounds = {
    x: Math.round(state.bounds.x),
    y: Math.round(state.bounds.y),
    width: Math.round(state.bounds.width),
    height: Math.round(state.bounds.height),
  };
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(
      temporary,
      `${JSON.stringify({ version: 1, bounds, maximized: state.maximized }, null, 2)}\n`,
    );
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
