/** How calls read on screen: local times, durations, counts, phone numbers. */

const numberFormat = new Intl.NumberFormat();
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const fullDateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** `1 call`, `1,234 calls`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Start time in the reviewer's local time zone, e.g. `Aug 8, 2025, 01:44 PM`. */
export function formatStartTime(iso: string | null): string {
  if (iso === null) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTimeFormat.format(date);
}

export function formatFullTime(iso: string | null): string {
  if (iso === null) return 'unknown time';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? 'unknown time' : fullDateTimeFormat.format(date);
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

/** `+1 555 010 1234` style grouping for plain digit strings; anything else is shown as it is. */
export function formatPhone(phone: string | null): string {
  if (phone === null || phone === '') return '—';
  const digits = phone.replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return phone;
  if (digits.length === 11 && digits.startsWith('1')) {
    return `+1 ${digits.slice(1, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
  }
  if (digits.length === 10) return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  return phone;
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
