// Ratings over time, rebuilt from each action's rating history: how many actions had each
// rating at the end of each month (or quarter, half-year, year) from the first action to
// the report's day. History is kept and never overwritten (DOMAIN.md), so the past can be
// counted again exactly.
import { formatLongDate, MONTH_NAMES, requireIsoDate, isoFromParts, daysInMonth } from '../../../domain/dates.ts';
import { snapshotRatingHistory, type PlanSnapshot, type SnapshotAction } from '../../../domain/plan-snapshot.ts';
import { ratingOn, type RatingOrNone } from '../../../domain/ratings.ts';
import type { RatingCountsWithNone } from './board-report.ts';
import { emptyCounts } from './board-words.ts';

/** Enough bars to show a trend, few enough for each to keep a readable label. */
export const MAX_PERIODS = 16;

/** Months per period, shortest first: monthly, quarterly, half-yearly, yearly. */
const PERIOD_LENGTHS = [1, 3, 6, 12] as const;
type PeriodLength = (typeof PERIOD_LENGTHS)[number];

const PERIOD_NAMES: Record<PeriodLength, string> = { 1: 'month', 3: 'quarter', 6: 'half-year', 12: 'year' };

export interface RatingPeriod {
  /** YYYY-MM-DD the counts are taken at: a period's last day, or the report's day for the last one. */
  end: string;
  /** "August 2015", or "20 July 2016" when the count is taken part way through a month. */
  label: string;
  counts: RatingCountsWithNone;
  total: number;
}

export interface RatingsOverTime {
  /** "month", "quarter"… */
  periodName: string;
  periods: RatingPeriod[];
}

/** An action's rating at the end of a day, as the plan showed it then (`ratingOn` in the domain). */
export function ratingOnDay(action: SnapshotAction, day: string): RatingOrNone {
  return ratingOn(snapshotRatingHistory(action), day) ?? 'none';
}

/** Counts on a day of the actions that existed then (created on or before it). */
export function countRatingsOn(actions: readonly SnapshotAction[], day: string): RatingCountsWithNone {
  const counts = emptyCounts();
  for (const action of actions) {
    if (action.createdOn > day) continue;
    counts[ratingOnDay(action, day)] += 1;
  }
  return counts;
}

/** The first day to chart: the first action's, or with no actions the first dated version's. */
function startOf(snapshot: PlanSnapshot): string {
  const created = snapshot.actions.map((a) => a.createdOn).sort()[0];
  const issued = snapshot.versions.flatMap((v) => (v.issuedOn ? [v.issuedOn] : [])).sort()[0];
  const start = created ?? issued ?? snapshot.asOf;
  return start < snapshot.asOf ? start : snapshot.asOf;
}

/** Month index counted from year 0, so months can be stepped through without dates. */
function monthIndex(day: string): number {
  const { year, month } = requireIsoDate(day);
  return year * 12 + (month - 1);
}

function lastDayOf(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return isoFromParts(year, month, daysInMonth(year, month)) ?? '';
}

/** Period ends aligned to the calendar (quarters end in March, June, September, December). */
function periodEnds(start: string, asOf: string, length: PeriodLength): string[] {
  const alignedEnd = (index: number): number => index + (length - 1 - (index % length));
  const ends: string[] = [];
  for (let index = alignedEnd(monthIndex(start)); ; index += length) {
    const end = lastDayOf(index);
    if (end >= asOf) {
      ends.push(asOf);
      return ends;
    }
    ends.push(end);
  }
}

function labelOf(day: string): string {
  const { year, month, day: dayOfMonth } = requireIsoDate(day);
  const monthEnd = dayOfMonth === daysInMonth(year, month);
  return monthEnd ? `${MONTH_NAMES[month - 1] ?? ''} ${year}` : formatLongDate(day);
}

export function ratingsOverTime(snapshot: PlanSnapshot): RatingsOverTime {
  const start = startOf(snapshot);
  const length = PERIOD_LENGTHS.find((n) => periodEnds(start, snapshot.asOf, n).length <= MAX_PERIODS) ?? 12;
  const periods = periodEnds(start, snapshot.asOf, length).map((end) => {
    const counts = countRatingsOn(snapshot.actions, end);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { end, label: labelOf(end), counts, total };
  });
  return { periodName: PERIOD_NAMES[length], periods };
}
