import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestKeyFor, parseEgressManifest } from '../../../../electron/core/s3/egress-manifest.ts';

const KEY = 'egress-recordings/2025/08/08/outbound-15103455686_1754653485.mp4';
const DEMO = readFileSync(
  new URL('../../../../electron/core/demo/library/outbound-15103455686_1754653485.json', import.meta.url),
  'utf8',
);

describe('parseEgressManifest', () => {
  it('reads the demo manifest: nanosecond times to ms, nanosecond duration to seconds, egress id and room', () => {
    expect(parseEgressManifest(DEMO, KEY)).toEqual({
      ok: true,
      facts: { durationSeconds: 14.542, startedMs: 1754653485000, endedMs: 1754653499542 },
      egressId: 'EG_nW4kT8pRz2Qv',
      roomName: 'dispatch_1754653479_15103455686',
    });
  });

  it('takes int64 values as decimal strings (protobuf JSON) and camelCase names', () => {
    const text = JSON.stringify({
      egressId: 'EG_1',
      roomName: 'room',
      startedAt: '1754653485000000000',
      endedAt: '1754653499542000000',
      fileResults: [{ filename: 'x.mp4', duration: '14542000000', size: '54243' }],
    });
    expect(parseEgressManifest(text, KEY)).toMatchObject({
      ok: true,
      facts: { durationSeconds: 14.542, startedMs: 1754653485000, endedMs: 1754653499542 },
      egressId: 'EG_1',
    });
  });

  it('reads a small duration as seconds, and timestamps by their size (s, ms, µs) or ISO-8601', () => {
    const facts = (manifest: object) => {
      const reading = parseEgressManifest(JSON.stringify(manifest), KEY);
      return reading.ok ? reading.facts : reading.problem;
    };
    expect(facts({ started_at: 1754653485, ended_at: 1754653499542, files: [{ duration: 14.5 }] })).toEqual({
      durationSeconds: 14.5,
      startedMs: 1754653485000,
      endedMs: 1754653499542,
    });
    expect(facts({ started_at: 1754653485000000, ended_at: '2025-08-08T11:44:59.542Z' })).toEqual({
      durationSeconds: 14.542,
      startedMs: 1754653485000,
      endedMs: 1754653499542,
    });
  });

  it('without a duration, takes ended - started; with only a duration, has no times', () => {
    expect(
      parseEgressManifest('{"started_at":1000000000000000000,"ended_at":1000000010000000000}'),
    ).toMatchObject({
      facts: { durationSeconds: 10 },
    });
    expect(parseEgressManifest('{"file":{"duration":3000000000}}')).toMatchObject({
      ok: true,
      facts: { durationSeconds: 3, startedMs: null, endedMs: null },
    });
  });

  it('picks the files entry of this recording when there are several', () => {
    const text = JSON.stringify({
      files: [
        { filename: 'egress-recordings/2025/08/08/other_1.mp4', duration: 1e9 },
        { location: `s3://bucket/${KEY}`, duration: 7e9 },
      ],
    });
    expect(parseEgressManifest(text, KEY)).toMatchObject({ facts: { durationSeconds: 7 } });
  });

  it.each([
    ['not JSON', '{"started_at": ', /^not valid JSON/],
    ['an array', '[1,2]', /^not a JSON object$/],
    ['no facts at all', '{"egress_id":"EG_1"}', /none of started_at, ended_at or a file duration/],
    ['a word for a time', '{"started_at":"soon"}', /^started_at is not a time: "soon"$/],
    ['a negative duration', '{"files":[{"duration":-5}]}', /^duration is not a non-negative number: -5$/],
    ['files that are not a list', '{"files":{"duration":5}}', /^"files" is not a list$/],
    [
      'an end before the start',
      '{"started_at":1754653499,"ended_at":1754653485}',
      /ended_at is before started_at/,
    ],
  ])('refuses %s, saying what is wrong', (_what, text, problem) => {
    const reading = parseEgressManifest(text, KEY);
    expect(reading.ok).toBe(false);
    expect(reading.ok ? '' : reading.problem).toMatch(problem);
  });
});

describe('manifestKeyFor', () => {
  it('puts the manifest beside the recording, .mp4 → .json', () => {
    expect(manifestKeyFor(KEY)).toBe('egress-recordings/2025/08/08/outbound-15103455686_1754653485.json');
  });
});
