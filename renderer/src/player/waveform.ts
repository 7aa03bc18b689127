/**
 * Waveform peaks: asked of the catalog first; computed once in the renderer (Web Audio decodes
 * what the media route streams) and saved back, so every later look is instant.
 */
import type { Waveform } from '../../../shared/contract.ts';
import { client, recordingUrl } from '../client/tapedeck-client.ts';
import { computePeaks, loudestPeak, peaksPerBar } from './waveform-peaks.ts';

/** Peaks per channel: enough for a full-width canvas at 2× pixel density without being heavy. */
export const PEAKS_PER_CHANNEL = 1600;
/**
 * Decoding resamples to this rate: peaks only need the envelope, and 8 kHz keeps a long call's
 * decoded samples small (30 min of stereo is ~115 MB at 8 kHz, ~630 MB at 44.1 kHz).
 */
const DECODE_SAMPLE_RATE = 8000;

/** Per session, so going back to a call does not even ask the catalog again. */
const cache = new Map<string, Waveform>();

/** What the player shows: the waveform, or why there is none. */
export type WaveformResult = { waveform: Waveform } | { error: string };

export async function waveformFor(key: string, signal: AbortSignal): Promise<WaveformResult> {
  const cached = cache.get(key);
  if (cached) return { waveform: cached };

  const stored = await client['recordings:waveform']({ key });
  if (stored.ok && stored.value !== null) {
    cache.set(key, stored.value);
    return { waveform: stored.value };
  }

  let waveform: Waveform;
  try {
    waveform = await computeWaveform(recordingUrl(key), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return { error: 'No waveform: the recording could not be decoded.' };
  }
  cache.set(key, waveform);
  // Saving is best effort: a failure only means the next session computes it again.
  void client['recordings:saveWaveform']({ key, waveform });
  return { waveform };
}

async function computeWaveform(url: string, signal: AbortSignal): Promise<Waveform> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  signal.throwIfAborted();
  // An OfflineAudioContext decodes without a user gesture and at the rate we choose.
  const context = new OfflineAudioContext(1, 1, DECODE_SAMPLE_RATE);
  const buffer = await context.decodeAudioData(bytes);
  signal.throwIfAborted();
  const channels: Float32Array[] = [];
  for (let c = 0; c < Math.min(2, buffer.numberOfChannels); c++) channels.push(buffer.getChannelData(c));
  return { channels: computePeaks(channels, PEAKS_PER_CHANNEL), durationSeconds: buffer.duration };
}

export interface WaveformColors {
  /** Per lane: the agent's and the customer's colours. */
  readonly played: readonly [string, string];
  readonly unplayed: string;
  readonly playhead: string;
  readonly axis: string;
}

/**
 * Draws one lane per channel: mirrored bars around a centre line, the played part in the accent
 * colour. Peaks are scaled so the loudest reaches the lane's edge (a quiet call is still readable).
 */
export function drawWaveform(
  canvas: HTMLCanvasElement,
  waveform: Waveform,
  progress: number,
  colors: WaveformColors,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const lanes = waveform.channels.length;
  const laneHeight = height / lanes;
  const loudest = loudestPeak(waveform.channels);
  const dpr = window.devicePixelRatio || 1;
  const barWidth = Math.max(1, Math.round(2 * dpr));
  const gap = Math.max(1, Math.round(dpr));
  const bars = Math.max(1, Math.floor(width / (barWidth + gap)));
  const playedX = progress * width;

  waveform.channels.forEach((peaks, lane) => {
    const mid = laneHeight * lane + laneHeight / 2;
    const half = laneHeight / 2 - 3 * dpr;
    ctx.fillStyle = colors.axis;
    ctx.fillRect(0, Math.round(mid), width, Math.max(1, Math.round(dpr / 2)));
    const barPeaks = peaksPerBar(peaks, bars);
    for (let bar = 0; bar < bars; bar++) {
      const peak = barPeaks[bar] ?? 0;
      const h = Math.max(dpr, (peak / loudest) * half);
      const x = bar * (barWidth + gap);
      ctx.fillStyle = x + barWidth / 2 <= playedX ? colors.played[lane === 1 ? 1 : 0] : colors.unplayed;
      ctx.fillRect(x, mid - h, barWidth, h * 2);
    }
  });

  ctx.fillStyle = colors.playhead;
  ctx.fillRect(Math.min(width - 2 * dpr, Math.max(0, playedX - dpr)), 0, 2 * dpr, height);
}
