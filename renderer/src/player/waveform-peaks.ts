/** Waveform peaks as numbers only (no DOM, no Web Audio), so they are unit-tested. */

/** The largest absolute sample in each of `buckets` equal slices, per channel, rounded to 3 places. */
export function computePeaks(channels: readonly Float32Array[], buckets: number): number[][] {
  return channels.map((samples) => {
    const count = Math.max(1, Math.min(buckets, samples.length));
    const peaks = new Array<number>(count);
    const size = samples.length / count;
    for (let b = 0; b < count; b++) {
      let peak = 0;
      const end = Math.min(samples.length, Math.floor((b + 1) * size));
      for (let i = Math.floor(b * size); i < end; i++) {
        const v = Math.abs(samples[i] ?? 0);
        if (v > peak) peak = v;
      }
      peaks[b] = Math.round(Math.min(1, peak) * 1000) / 1000;
    }
    return peaks;
  });
}

/**
 * The peaks a canvas of `bars` bars draws: each bar the loudest peak in its slice, so nothing is lost
 * when there are more peaks than bars (and a peak repeats when there are fewer).
 */
export function peaksPerBar(peaks: readonly number[], bars: number): number[] {
  const out = new Array<number>(Math.max(0, bars));
  for (let bar = 0; bar < bars; bar++) {
    const from = Math.floor((bar / bars) * peaks.length);
    const to = Math.max(from + 1, Math.floor(((bar + 1) / bars) * peaks.length));
    let peak = 0;
    for (let i = from; i < to; i++) peak = Math.max(peak, peaks[i] ?? 0);
    out[bar] = peak;
  }
  return out;
}

/** The scale of a waveform: its loudest peak, never below 0.05 (so silence is not blown up to full height). */
export function loudestPeak(channels: readonly (readonly number[])[]): number {
  let loudest = 0.05;
  for (const peaks of channels) for (const peak of peaks) if (peak > loudest) loudest = peak;
  return loudest;
}
