/** How calls read on screen: times (local or UTC), durations, counts, phone numbers. */
import type { DisplayZone } from '../preferences/display-zone.ts';

const numberFormat = new Intl.NumberFormat();
const timeZoneOf = (zone: DisplayZone) => (zone === 'utc' ? 'UTC' : undefined);
const dateTimeFormats = new Map<DisplayZone, Intl.DateTimeFormat>();
const fullDateTimeFormats = new Map<DisplayZone, Intl.DateTimeFormat>();

function dateTimeFormat(zone: DisplayZone): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: timeZoneOf(zone),
    });
    dateTimeFormats.set(zone, format);
  }
  return format;
}

function fullDateTimeFormat(zone: DisplayZone): Intl.DateTimeFormat {
  let format = fullDateTimeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      dateStyle: 'full',
      timeStyle: 'long',
      timeZone: timeZoneOf(zone),
    });
    fullDateTimeFormats.set(zone, format);
  }
  return format;
}

/** `UTC`, `UTC+9`, `UTC-3:30`, from minutes east of UTC. */
export function utcOffsetLabel(minutesEast: number): string {
  if (minutesEast === 0) return 'UTC';
  const sign = minutesEast > 0 ? '+' : '-';
  const abs = Math.abs(minutesEast);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

/** Which zone times are in, as the list says it: `UTC`, or `local time (UTC+9)`. */
export function zoneLabel(zone: DisplayZone, at: Date = new Date()): string {
  return zone === 'utc' ? 'UTC' : `local time (${utcOffsetLabel(-at.getTimezoneOffset())})`;
}

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** `1 call`, `1,234 calls`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Start time in the zone the UI shows, e.g. `Aug 8, 2025, 01:44 PM`. */
export function formatStartTime(iso: string | null, zone: DisplayZone = 'local'): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTimeFormat(zone).format(date);
}

export function formatFullTime(iso: string | null, zone: DisplayZone = 'local'): string {
  if (iso === null) return 'unknown time';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? 'unknown time' : fullDateTimeFormat(zone).format(date);
}

/** `m:ss`, or `h:mm:ss` past an hour. */
export function formatClock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '–:––';
  const whole = Math.floor(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** For screen readers: `1 minute 5 seconds`. */
export function spokenDuration(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const m = Math.floor(whole / 60);
  const s = whole % 60;
  const parts = [];
  if (m > 0) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  parts.push(`${s} second${s === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/**
 * One way of writing every number, whatever way it was imported (`(510) 555-0199`, `510.555.0199`,
 * `+1-510-555-0199`): its digits grouped `+1 510 555 0199` / `510 555 0199`, other lengths as
 * `+digits`. The catalog keeps what was imported; only the display is normalised. Anything that is
 * not just a number (letters, an extension) is shown as it is.
 */
export function formatPhone(phone: string | null): string {
  if (phone === null || phone.trim() === '') return '—';
  const written = phone.trim();
  if (!/^\+?[\d\s().\-/]+$/.test(written)) return phone;
  const international = written.startsWith('+');
  const digits = written.replace(/\D/g, '');
  if (digits === '') return phone;
  if (digits.length === 11 && digits.startsWith('1')) {
    return `+1 ${digits.slice(1, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
  }
  if (digits.length === 10 && !international) {
    return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  }
  return international ? `+${digits}` : digits;
}

/** Status and outcome values arrive as `NO_ANSWER`, `voicemail-left`: shown as `No answer`. */
export function humanize(value: string | null): string {
  if (value === null || value === '') return '—';
  const spaced = value.replace(/[_-]+/g, ' ').trim();
  // SHOUTED enum values read better in sentence case; mixed-case text is left as written.
  const cased = spaced === spaced.toUpperCase() ? spaced.toLowerCase() : spaced;
  return cased.charAt(0).toUpperCase() + cased.slice(1);
}

export function callTitle(row: { customer_name: string | null; phone: string | null }): string {
  return row.customer_name ?? formatPhone(row.phone);
}

/** The list's count under a filter: `0 of 11 calls match`, `1 of 11 calls matches`. */
export function matchCountText(matching: number, of: number | null): string {
  const verb = matching === 1 ? 'matches' : 'match';
  return of === null
    ? `${plural(matching, 'call')} ${verb}`
    : `${formatCount(matching)} of ${plural(of, 'call')} ${verb}`;
}

/** `1 of 3 calls has no recording`, `2 of 3 calls have no recording`. */
export function withoutRecordingText(count: number, of: number): string {
  return `${formatCount(count)} of ${plural(of, 'call')} ${count === 1 ? 'has' : 'have'} no recording`;
}
