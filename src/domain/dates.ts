// Small ISO date helpers shared by the domain. Dates are 'YYYY-MM-DD' strings everywhere
// and all arithmetic happens in UTC, so the server's time zone and daylight saving can
// never shift a date by one day.

const MS_PER_DAY = 86_400_000;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export type DateParts = { year: number; month: number /* 1-12 */; day: number };

/** Days in a month (month 1-12), leap years included. */
export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The ISO string for a year, month and day, or null when that day does not exist (31 June). */
export function isoFromParts(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  // Four-digit years only: Date.UTC maps years 0-99 to 1900-1999.
  if (year < 1000 || year > 9999 || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Each month's full name and three-letter abbreviation in lower case, and "sept", to its number. */
const MONTH_WORDS: ReadonlyMap<string, number> = new Map([
  ...MONTH_NAMES.flatMap((name, index): [string, number][] => [
    [name.toLowerCase(), index + 1],
    [name.slice(0, 3).toLowerCase(), index + 1],
  ]),
  ['sept', 9],
]);

/**
 * The month a person typed into a date's month box: its number as typed ("3", "03", or "13",
 * which the whole date then fails as not real), or its name or abbreviation in any case
 * ("March", "mar", "Sept", "Dec."), as the GOV.UK date input pattern advises accepting. Null
 * for anything else.
 */
export function monthFromTyped(typed: string): number | null {
  const text = typed.trim().toLowerCase();
  if (/^\d{1,2}$/.test(text)) return Number(text);
  return MONTH_WORDS.get(text.replace(/\.$/, '')) ?? null;
}

/**
 * A whole date typed into one box ("6 Jan 2026", "6th January 2026", "06/01/2026", "6-1-2026")
 * as its day, month and year as typed; null when the text is not a day, a month and a
 * four-digit year in that order. The month is read by monthFromTyped, the rest by the caller.
 */
export function splitTypedDate(typed: string): { day: string; month: string; year: string } | null {
  const m = /^(\d{1,2})(?:st|nd|rd|th)?[\s,./-]+([a-z]+\.?|\d{1,2})[\s,./-]+(\d{4})$/i.exec(typed.trim());
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { day: m[1], month: m[2], year: m[3] };
}

/** Parts of a strict 'YYYY-MM-DD' string, or null when it is not a real calendar day. */
export function parseIsoDate(date: string): DateParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isoFromParts(year, month, day) === null ? null : { year, month, day };
}

/** Parses or throws: the functions of the domain take valid ISO dates only. */
export function requireIsoDate(date: string, what = 'date'): DateParts {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`Expected ${what} as a real YYYY-MM-DD date, got "${date}"`);
  return parts;
}

function toUtcMs(date: string): number {
  const { year, month, day } = requireIsoDate(date);
  return Date.UTC(year, month - 1, day);
}

/** The date n days after (or before, for negative n) the given date. */
export function addDays(date: string, n: number): string {
  return new Date(toUtcMs(date) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** '2015-09-30' → '30 September 2015', the form used in UK plans and letters. */
export function formatLongDate(date: string): string {
  const { year, month, day } = requireIsoDate(date);
  return `${day} ${MONTH_NAMES[month - 1] ?? ''} ${year}`;
}

/** '2015-07-14' → '14 July 2015'; empty or missing dates read as the given fallback. */
export function formatDate(date: string | null | undefined, fallback = 'Not given'): string {
  if (!date) return fallback;
  try {
    return formatLongDate(date.slice(0, 10));
  } catch {
    return date;
  }
}

const englandDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in England at this instant, 'YYYY-MM-DD' (en-CA writes dates that way). */
export function dateInEngland(instant: Date): string {
  return englandDate.format(instant);
}

const englandParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});

/**
 * '2026-11-23T14:05:00Z' → '23 November 2026 at 2:05pm', in Europe/London time. The NHS
 * content style writes 12 o'clock as midday and midnight rather than 12pm and 12am.
 */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = englandParts.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const hour = get('hour');
  const minute = get('minute');
  const period = get('dayPeriod').toLowerCase().replace(/\./g, '').replace(/\s/g, '');
  const time =
    hour === '12' && minute === '00' ? (period === 'am' ? 'midnight' : 'midday') : `${hour}:${minute}${period}`;
  return `${get('day')} ${get('month')} ${get('year')} at ${time}`;
}
