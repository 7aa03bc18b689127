import { describe, expect, it } from 'vitest';
import {
  candidatePrefixesFor,
  parseDispatchId,
  parseRecordingKey,
  pickRecordingFor,
  recordingKeyFor,
  type RecordingKey,
} from '../../../shared/dispatch.ts';

const PREFIX = 'egress-recordings/';

describe('dispatch ids', () => {
  it('reads the timestamp and phone digits of the documented example', () => {
    expect(parseDispatchId('dispatch_1754653479_15103455686')).toEqual({
      id: 'dispatch_1754653479_15103455686',
      timestamp: 1754653479,
      phone: '15103455686',
    });
  });

  it.each([
    'dispatch_1754653479',
    'dispatch__1',
    'dispatch_abc_123',
    'Dispatch_1_2',
    'dispatch_1_2_3',
    'dispatch_1_+1',
    '',
  ])('refuses %j', (id) => expect(parseDispatchId(id)).toBeNull());

  it('refuses numbers too long to be exact or to be phone numbers', () => {
    expect(parseDispatchId(`dispatch_${'9'.repeat(13)}_1`)).toBeNull();
    expect(parseDispatchId(`dispatch_1_${'1'.repeat(16)}`)).toBeNull();
  });
});

describe('recording keys', () => {
  it('puts a recording in the UTC date folder of its timestamp', () => {
    expect(recordingKeyFor(PREFIX, '15103455686', 1754653479)).toBe(
      'egress-recordings/2025/08/08/outbound-15103455686_1754653479.mp4',
    );
  });

  it('reads direction, phone and timestamp back from a key', () => {
    expect(
      parseRecordingKey('egress-recordings/2025/08/08/inbound-15103455686_1754653479.mp4', PREFIX),
    ).toEqual({
      key: 'egress-recordings/2025/08/08/inbound-15103455686_1754653479.mp4',
      direction: 'inbound',
      phone: '15103455686',
      timestamp: 1754653479,
    });
  });

  it.each([
    ['an Egress manifest', 'egress-recordings/2025/08/08/outbound-15103455686_1754653479.json'],
    ['another prefix', 'other/2025/08/08/outbound-15103455686_1754653479.mp4'],
    [
      'a date folder that does not match the timestamp',
      'egress-recordings/2025/08/09/outbound-15103455686_1754653479.mp4',
    ],
    ['a nested key', 'egress-recordings/2025/08/08/x/outbound-15103455686_1754653479.mp4'],
    ['a key without extension', 'egress-recordings/2025/08/08/outbound-15103455686_1754653479'],
  ])('does not take %s for a recording', (_what, key) => {
    expect(parseRecordingKey(key, PREFIX)).toBeNull();
  });

  it('looks into the next date folder only when the window crosses midnight UTC', () => {
    const beforeMidnight = parseDispatchId('dispatch_1754697000_1555')!; // 2025-08-08T23:50:00Z
    expect(candidatePrefixesFor(PREFIX, beforeMidnight)).toEqual([
      'egress-recordings/2025/08/08/outbound-1555_',
      'egress-recordings/2025/08/09/outbound-1555_',
    ]);
    const noon = parseDispatchId('dispatch_1754654400_1555')!;
    expect(candidatePrefixesFor(PREFIX, noon)).toEqual(['egress-recordings/2025/08/08/outbound-1555_']);
  });
});

describe('picking the recording of a dispatch', () => {
  const dispatch = parseDispatchId('dispatch_1754653479_15103455686')!;
  const at = (
    delay: number,
    phone = '15103455686',
    direction: 'outbound' | 'inbound' = 'outbound',
  ): RecordingKey => ({
    key: recordingKeyFor(PREFIX, phone, dispatch.timestamp + delay, direction),
    direction,
    phone,
    timestamp: dispatch.timestamp + delay,
  });

  it('takes the nearest recording at or after the dispatch, not the earliest listed', () => {
    expect(pickRecordingFor(dispatch, [at(600), at(40), at(300)])?.timestamp).toBe(dispatch.timestamp + 40);
  });

  it('resolves to the recording 40 s later, not the one 5 s before', () => {
    expect(pickRecordingFor(dispatch, [at(-5), at(40)])?.timestamp).toBe(dispatch.timestamp + 40);
  });

  it('takes a recording exactly 900 s later but not 901 s', () => {
    expect(pickRecordingFor(dispatch, [at(900)])).not.toBeNull();
    expect(pickRecordingFor(dispatch, [at(901)])).toBeNull();
  });

  it('ignores inbound recordings and other phones', () => {
    expect(pickRecordingFor(dispatch, [at(10, '15103455686', 'inbound'), at(10, '151034556867')])).toBeNull();
  });
});
