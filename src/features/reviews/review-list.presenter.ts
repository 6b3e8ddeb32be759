import { dateInEngland, formatDate } from '../../domain/dates.ts';
import { planDuePosition } from '../../domain/plan-due.ts';
import { ratingName, ratingsOf } from '../../domain/ratings.ts';
import { plural } from '../../domain/words.ts';
import { reviewPath } from '../../platform/review-paths.ts';
import type { ReviewStatus } from './reviews.service.ts';

/*
 * The list of reviews: each review with what tells it apart from another of the same area (when
 * it was reviewed and published) and where it stands: the plan's due position, its actions by
 * rating, what needs attention and when anything last changed.
 */

/** "Plan due 11 August 2015: 9 working days left", "Plan sent 13 August 2015, 2 working days late"… */
function duePosition(s: ReviewStatus): { text: string; late: boolean } {
  const position = planDuePosition(s.dueDate, s.planIssued, s.today);
  switch (position.state) {
    case 'unknown':
      return {
        text: position.sentOn
          ? `Plan sent ${formatDate(position.sentOn)}`
          : 'Plan due date not known: the date the report was received is not recorded',
        late: false,
      };
    case 'sent':
      return position.workingDaysLate > 0
        ? {
            text: `Plan sent ${formatDate(position.sentOn)}, ${plural(position.workingDaysLate, 'working day')} late`,
            late: true,
          }
        : { text: `Plan sent ${formatDate(position.sentOn)}, on time`, late: false };
    case 'due':
      return {
        text: `Plan due ${formatDate(position.dueDate)}: ${plural(position.workingDaysLeft, 'working day')} left`,
        late: false,
      };
    case 'overdue':
      return {
        text:
          `Plan due ${formatDate(position.dueDate)} and not sent: ` +
          `${plural(position.workingDaysOverdue, 'working day')} overdue`,
        late: true,
      };
  }
}

/** "45 actions: 3 Red, 10 Amber, 20 Green, 5 Blue, 7 not rated". */
function ratingWords(s: ReviewStatus): string {
  const a = s.actions;
  if (a.total === 0) return 'No actions yet';
  const parts = ratingsOf(s.scale)
    .reverse()
    .filter((r) => a[r] > 0)
    .map((r) => `${a[r]} ${ratingName(r)}`);
  if (a.unrated > 0) parts.push(`${a.unrated} not rated`);
  return `${plural(a.total, 'action')}: ${parts.join(', ')}`;
}

/** "Reviewed 18 to 22 May 2015, report published 14 July 2015". */
function whenWords(s: ReviewStatus): string {
  const { review_start: start, review_end: end, report_published: published } = s.row;
  const reviewed = start ? `Reviewed ${formatDate(start)}${end && end !== start ? ` to ${formatDate(end)}` : ''}` : '';
  const report = published ? `report published ${formatDate(published)}` : 'report not published yet';
  return reviewed ? `${reviewed}, ${report}` : report.charAt(0).toUpperCase() + report.slice(1);
}

export function presentReviewStatusList(statuses: readonly ReviewStatus[]) {
  const items = statuses.map((s) => ({ s, when: whenWords(s) }));
  // Two reviews of one area with the same dates are told apart by their number.
  const seen = new Map<string, number>();
  for (const { s, when } of items) {
    const key = `${s.row.area}|${when}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return items.map(({ s, when }) => {
    const due = duePosition(s);
    const twin = (seen.get(`${s.row.area}|${when}`) ?? 0) > 1;
    return {
      href: reviewPath(s.row.id),
      title: s.row.title,
      area: s.row.area,
      when: twin ? `${when} (review ${s.row.id})` : when,
      isDemo: s.row.is_demo === 1,
      due: due.text,
      late: due.late,
      plan:
        `${plural(s.row.findings, 'finding')}, ${plural(s.row.recommendations, 'recommendation')}; ` + ratingWords(s),
      attention:
        s.exceptions === 0
          ? 'Nothing needs attention'
          : `${plural(s.exceptions, 'thing')} ${s.exceptions === 1 ? 'needs' : 'need'} attention`,
      lastActivity: s.row.last_activity
        ? `Last change ${formatDate(dateInEngland(new Date(s.row.last_activity)))}`
        : 'No changes recorded',
    };
  });
}
