// Working days in England. The CQC letter says "an action plan is required within 20
// working days of receipt of this report"; working days exclude weekends and the bank
// holidays of England (not Scotland's or Northern Ireland's). Bank holidays come from the
// date-holidays library so that one-off days (jubilees, coronations, state funerals) and
// substitute days arrive with library updates rather than a hand-kept list.
import Holidays from 'date-holidays';
import { addDays, dayOfWeek, requireIsoDate } from './dates.ts';

/** Working days the CQC allows for sending the action plan after receiving the report. */
export const PLAN_DUE_WORKING_DAYS = 20;

let calendar: Holidays | null = null;
const holidaysByYear = new Map<number, ReadonlySet<string>>();

function bankHolidaysIn(year: number): ReadonlySet<string> {
  const cached = holidaysByYear.get(year);
  if (cached) return cached;
  // Built lazily: constructing the calendar parses the library's rules, and most callers
  // only ever need a year or two.
  calendar ??= new Holidays('GB', 'ENG');
  const dates = new Set<string>();
  for (const holiday of calendar.getHolidays(year)) {
    // Only 'public' holidays are bank holidays; the library also lists observances such
    // as Mother's Day and Easter Sunday, which are not days off.
    // `date` is "YYYY-MM-DD hh:mm:ss" in the country's own time zone, so the first ten
    // characters are the English calendar date whatever the server's time zone.
    if (holiday.type === 'public') dates.add(holiday.date.slice(0, 10));
  }
  holidaysByYear.set(year, dates);
  return dates;
}

/** True on a bank holiday in England, substitute days included (e.g. 2015-12-28). */
export function isBankHoliday(date: string): boolean {
  const { year } = requireIsoDate(date);
  return bankHolidaysIn(year).has(date);
}

/** Monday to Friday and not a bank holiday in England. */
export function isWorkingDay(date: string): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(date);
}

/**
 * The date n working days after `date`. Counting starts the day after `date` (the day of
 * receipt is not day 1), so the start date itself may be a weekend or bank holiday.
 * n = 0 returns `date` unchanged.
 */
export function addWorkingDays(date: string, n: number): string {
  requireIsoDate(date);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Expected a whole number of working days of 0 or more, got ${n}`);
  }
  let current = date;
  let counted = 0;
  while (counted < n) {
    current = addDays(current, 1);
    if (isWorkingDay(current)) counted += 1;
  }
  return current;
}

/** When the action plan is due at CQC: 20 working days after the report was received. */
export function planDueDate(reportReceived: string): string {
  return addWorkingDays(reportReceived, PLAN_DUE_WORKING_DAYS);
}
