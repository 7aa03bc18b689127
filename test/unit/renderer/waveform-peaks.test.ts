/** Waveform peaks (renderer/src/player/waveform-peaks.ts), without a browser or Web Audio. */
import { describe, expect, it } from 'vitest';
import { computePeaks, loudestPeak, peaksPerBar } from '../../../renderer/src/player/waveform-peaks.ts';

describe('computePeaks', () => {
  it('takes the loudest absolute sample of each equal slice, per channel', () => {
    const left = Float32Array.from([0.1, -0.5, 0.2, 0.3, -0.05, 0.04, 0.9, -0.95]);
    const right = Float32Array.from([0, 0, 0, 0, 0.25, 0, 0, 0]);
    expect(computePeaks([left, right], 4)).toEqual([
      [0.5, 0.3, 0.05, 0.95],
      [0, 0, 0.25, 0],
    ]);
  });

  it('rounds to three places and never goes past 1 (clipped samples)', () => {
    expect(computePeaks([Float32Array.from([0.12345, 1.7])], 2)).toEqual([[0.123, 1]]);
  });

  it('gives one peak per sample when there are fewer samples than buckets, and one for silence', () => {
    expect(computePeaks([Float32Array.from([0.2, -0.4])], 1600)).toEqual([[0.2, 0.4]]);
    expect(computePeaks([new Float32Array(0)], 10)).toEqual([[0]]);
  });

  it('covers every sample when the slices do not divide evenly', () => {
    const samples = new Float32Array(10);
    samples[9] = 0.8; // the very last sample lands in the last bucket
    const [peaks] = computePeaks([samples], 3);
    expect(peaks).toHaveLength(3);
    expect(peaks?.[2]).toBe(0.8);
  });
});

describe('drawing peaks as bars', () => {
  it('keeps the loudest peak of each bar when there are more peaks than bars', () => {
    expect(peaksPerBar([0.1, 0.9, 0.2, 0.3, 0.05, 0.6], 3)).toEqual([0.9, 0.3, 0.6]);
  });

  it('repeats peaks when there are more bars than peaks', () => {
    expect(peaksPerBar([0.2, 0.8], 4)).toEqual([0.2, 0.2, 0.8, 0.8]);
  });

  it('scales by the loudest peak, but silence is not blown up to full height', () => {
    expect(loudestPeak([[0.1, 0.4], [0.7]])).toBe(0.7);
    expect(loudestPeak([[0, 0.01]])).toBe(0.05);
  });
});
