// The two charts of the board report, as specs charts.ts can draw. Each description is the
// chart's text alternative and gives every number it shows, in sentences (WCAG 2.2, 1.1.1).
import { formatLongDate } from '../../../domain/dates.ts';
import { RATING_COLOURS, RATING_NAMES, type RatingScale } from '../../../domain/ratings.ts';
import type { PlanSnapshot } from '../../../domain/plan-snapshot.ts';
import type { BoardReport, ChartSpec, RatingCountsWithNone } from './board-report.ts';
import type { RatingsOverTime } from './board-over-time.ts';
import { countsWords, emptyCounts, ratingsToShow } from './board-words.ts';
import { plural } from '../../../domain/words.ts';

const VALUE_AXIS_NAME = 'Number of actions';

/** One series per rating the report shows, in key order, with the key's colours. */
function seriesOf(scale: RatingScale, rows: readonly RatingCountsWithNone[]): ChartSpec['series'] {
  const all = emptyCounts();
  for (const row of rows) for (const rating of ratingsToShow(scale, row)) all[rating] += row[rating];
  return ratingsToShow(scale, all).map((key) => ({
    key,
    name: RATING_NAMES[key],
    colour: RATING_COLOURS[key].fill,
    values: rows.map((row) => row[key]),
  }));
}

/** "20 actions: 15 Blue, 4 Green and 1 not rated" or "no actions". */
function totalWords(scale: RatingScale, counts: RatingCountsWithNone, total: number): string {
  return total === 0 ? 'no actions' : `${plural(total, 'action')}: ${countsWords(scale, counts)}`;
}

export function byOrganisationChart(scale: RatingScale, rows: BoardReport['summary']['byOrganisation']): ChartSpec {
  const lines = rows.map((row) =>
    row.total === 0
      ? `No actions for ${row.organisation}.`
      : `${plural(row.total, 'action')} for ${row.organisation}: ${countsWords(scale, row.counts)}.`,
  );
  const shared = 'An action shared by several organisations is counted once for each of them.';
  return {
    id: 'ratings-by-organisation',
    title: 'Ratings of actions by organisation',
    description: rows.length === 0 ? 'No organisations are taking part yet.' : [...lines, shared].join(' '),
    categories: rows.map((row) => row.organisation),
    series: seriesOf(
      scale,
      rows.map((row) => row.counts),
    ),
    orientation: 'horizontal',
    categoryAxisName: 'Organisation',
    valueAxisName: VALUE_AXIS_NAME,
  };
}

export function overTimeChart(snapshot: PlanSnapshot, overTime: RatingsOverTime): ChartSpec {
  const scale = snapshot.review.ratingScale;
  const lines = overTime.periods.map((period) => {
    const when =
      period.end === snapshot.asOf
        ? `On ${formatLongDate(period.end)}, the date of this report,`
        : `At the end of ${period.label}`;
    const counts = totalWords(scale, period.counts, period.total);
    return `${when} there ${period.total === 1 ? 'was' : 'were'} ${counts}.`;
  });
  const basis =
    `Each bar counts the actions that existed at the end of the ${overTime.periodName}, ` +
    'by the rating agreed at that time, or the rating proposed if none had been agreed.';
  return {
    id: 'ratings-over-time',
    title: 'Ratings of actions over time',
    description: [basis, ...lines].join(' '),
    categories: overTime.periods.map((period) => period.label),
    series: seriesOf(
      scale,
      overTime.periods.map((period) => period.counts),
    ),
    orientation: 'vertical',
    categoryAxisName: `End of ${overTime.periodName}`,
    valueAxisName: VALUE_AXIS_NAME,
  };
}
