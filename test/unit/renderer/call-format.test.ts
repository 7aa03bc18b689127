/** How calls read on screen (renderer/src/calls/call-format.ts, call-query.ts): phones, zones, counts. */
import { describe, expect, it } from 'vitest';
import {
  formatPhone,
  formatStartTime,
  matchCountText,
  utcOffsetLabel,
  withoutRecordingText,
  zoneLabel,
} from '../../../renderer/src/calls/call-format.ts';
import {
  dateOf,
  emptyFilter,
  endOfDay,
  isReversed,
  rezoneFilter,
  startOfDay,
  swapDates,
} from '../../../renderer/src/calls/call-query.ts';

describe('phone numbers', () => {
  it('shows a number the same way whatever way it was imported', () => {
    const shown = Object.fromEntries(
      ['+15105550199', '1-510-555-0199', '+1 (510) 555.0199', '(510) 555-0199', ' 510.555.0199 '].map((w) => [
        w,
        formatPhone(w),
      ]),
    );
    expect(shown).toEqual({
      '+15105550199': '+1 510 555 0199',
      '1-510-555-0199': '+1 510 555 0199',
      '+1 (510) 555.0199': '+1 510 555 0199',
      '(510) 555-0199': '510 555 0199',
      ' 510.555.0199 ': '510 555 0199',
    });
  });

  it('writes other international numbers as + and their digits', () => {
    expect(formatPhone('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('leaves what is not just a number as it was written, and says when there is none', () => {
    expect(formatPhone('555-0199 ext. 12')).toBe('555-0199 ext. 12');
    expect(formatPhone('unknown')).toBe('unknown');
    expect(formatPhone(null)).toBe('—');
    expect(formatPhone('  ')).toBe('—');
  });
});

describe('time zones', () => {
  it('names the zone: UTC, or local time with its offset', () => {
    expect(zoneLabel('utc')).toBe('UTC');
    expect(utcOffsetLabel(0)).toBe('UTC');
    expect(utcOffsetLabel(540)).toBe('UTC+9');
    expect(utcOffsetLabel(-210)).toBe('UTC-3:30');
    expect(zoneLabel('local', new Date('2025-08-09T00:00:00Z'))).toMatch(
      /^local time \(UTC([+-]\d+(:\d\d)?)?\)$/,
    );
  });

  it('shows a start time in UTC when asked, whatever the computer’s zone', () => {
    const shown = formatStartTime('2025-08-08T23:30:00Z', 'utc');
    expect(shown).toContain('2025');
    expect(shown).toMatch(/Aug\s+8/);
    expect(shown).toMatch(/11:30\sPM|23:30/);
  });

  it('reads a picked day in the zone shown: UTC days are UTC midnights', () => {
    expect(startOfDay('2025-08-09', 'utc')).toBe('2025-08-09T00:00:00.000Z');
    expect(endOfDay('2025-08-09', 'utc')).toBe('2025-08-09T23:59:59.999Z');
    expect(dateOf('2025-08-09T23:59:59.999Z', 'utc')).toBe('2025-08-09');
    expect(startOfDay('not a day', 'utc')).toBeNull();
    const local = startOfDay('2025-08-09', 'local');
    expect(dateOf(local, 'local')).toBe('2025-08-09');
  });

  it('keeps the picked days when the zone changes', () => {
    const utcDay = {
      ...emptyFilter,
      from: startOfDay('2025-08-09', 'utc'),
      to: endOfDay('2025-08-10', 'utc'),
    };
    const local = rezoneFilter(utcDay, 'utc', 'local');
    expect([dateOf(local.from, 'local'), dateOf(local.to, 'local')]).toEqual(['2025-08-09', '2025-08-10']);
  });

  it('tells a reversed range, and swaps it the right way round', () => {
    const reversed = {
      ...emptyFilter,
      from: startOfDay('2025-08-10', 'utc'),
      to: endOfDay('2025-08-08', 'utc'),
    };
    expect(isReversed(reversed)).toBe(true);
    const swapped = swapDates(reversed, 'utc');
    expect(isReversed(swapped)).toBe(false);
    expect([swapped.from, swapped.to]).toEqual(['2025-08-08T00:00:00.000Z', '2025-08-10T23:59:59.999Z']);
    expect(isReversed({ ...emptyFilter, from: reversed.from })).toBe(false);
  });
});

describe('counts in words', () => {
  it('says how many of how many match, with the verb agreeing', () => {
    expect(matchCountText(0, 11)).toBe('0 of 11 calls match');
    expect(matchCountText(1, 11)).toBe('1 of 11 calls matches');
    expect(matchCountText(3, null)).toBe('3 calls match');
    expect(matchCountText(1, null)).toBe('1 call matches');
  });

  it('says how many calls have no recording', () => {
    expect(withoutRecordingText(1, 3)).toBe('1 of 3 calls has no recording');
    expect(withoutRecordingText(2, 3)).toBe('2 of 3 calls have no recording');
  });
});
