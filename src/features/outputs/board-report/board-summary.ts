// The board report's summary: how many actions have each rating, per organisation, where the
// actions stand against their dates, and what has moved since the previous version.
import { lastingSummary } from './board-lasting.ts';
import { addDays, daysBetween, formatLongDate } from '../../../domain/dates.ts';
import { isComplete, type RatingOrNone, type RatingScale } from '../../../domain/ratings.ts';
import type { PlanSnapshot, SnapshotAction } from '../../../domain/plan-snapshot.ts';
import type { BoardReport, RatingCountsWithNone } from './board-report.ts';
import { emptyCounts, isAre, ratingPhrase, ratingsToShow, upperFirst } from './board-words.ts';
import { numberWords, plural } from '../../../domain/words.ts';

type Summary = BoardReport['summary'];

/** "Due soon" looks this many days ahead of the report's date. */
export const DUE_SOON_DAYS = 30;

export function ratingOf(action: SnapshotAction): RatingOrNone {
  return action.rating ?? 'none';
}

export function countRatings(actions: readonly SnapshotAction[]): RatingCountsWithNone {
  const counts = emptyCounts();
  for (const action of actions) counts[ratingOf(action)] += 1;
  return counts;
}

/** Each organisation in the snapshot's order; an action shared by several counts for each. */
export function countByOrganisation(snapshot: PlanSnapshot): Summary['byOrganisation'] {
  return snapshot.organisations.map((organisation) => {
    const actions = snapshot.actions.filter((a) => a.organisationIds.includes(organisation.id));
    return {
      organisation: organisation.shortName || organisation.name,
      counts: countRatings(actions),
      total: actions.length,
    };
  });
}

function ratingSentences(snapshot: PlanSnapshot, counts: RatingCountsWithNone): string[] {
  const total = snapshot.actions.length;
  const recommendations = plural(snapshot.recommendations.length, 'recommendation');
  if (total === 0) return [`The plan has ${recommendations} and no actions yet.`];
  const opening = `The plan has ${plural(total, 'action')} under ${recommendations}.`;
  const scale = snapshot.review.ratingScale;
  const perRating = ratingsToShow(scale, counts)
    .filter((rating) => counts[rating] > 0)
    .map(
      (rating) =>
        `${numberWords(counts[rating])} of ${numberWords(total)} ` +
        `actions ${ratingPhrase(scale, rating, counts[rating])}.`,
    );
  return [opening, ...perRating];
}

type DuePosition = 'completed' | 'noDate' | 'overdue' | 'dueWithin30Days' | 'dueLater';

/**
 * Where one action stands against its date on the report's day. Completed comes first: a
 * completed action is never overdue. Due on the day itself is not yet overdue (as in
 * domain/exceptions.ts): the action can still be done that day.
 */
export function duePosition(scale: RatingScale, action: SnapshotAction, asOf: string): DuePosition {
  if (action.rating !== null && isComplete(scale, action.rating)) return 'completed';
  if (action.dueDate === null) return 'noDate';
  if (action.dueDate < asOf) return 'overdue';
  if (action.dueDate <= addDays(asOf, DUE_SOON_DAYS)) return 'dueWithin30Days';
  return 'dueLater';
}

/** When the plan had to reach CQC, and whether that day has passed. */
function planDueWords(snapshot: PlanSnapshot): string | null {
  const due = snapshot.review.planDue;
  if (due === null) return null;
  const submitted = snapshot.versions.find((v) => v.purpose === 'cqc' && v.issuedOn !== null);
  if (submitted?.issuedOn) {
    return (
      `The plan was due with CQC by ${formatLongDate(due)}. Version ${submitted.number} was sent to CQC ` +
      `on ${formatLongDate(submitted.issuedOn)}.`
    );
  }
  if (due < snapshot.asOf) return `The plan was due with CQC by ${formatLongDate(due)}.`;
  if (due === snapshot.asOf) return `The plan is due with CQC today, ${formatLongDate(due)}.`;
  return `The plan is due with CQC by ${formatLongDate(due)}, in ${plural(daysBetween(snapshot.asOf, due), 'day')}.`;
}

export function dueSummary(snapshot: PlanSnapshot): Summary['due'] {
  const tally: Record<DuePosition, number> = { completed: 0, noDate: 0, overdue: 0, dueWithin30Days: 0, dueLater: 0 };
  for (const action of snapshot.actions) tally[duePosition(snapshot.review.ratingScale, action, snapshot.asOf)] += 1;
  const soonUntil = formatLongDate(addDays(snapshot.asOf, DUE_SOON_DAYS));
  const sentences = [
    tally.completed === 0
      ? 'No actions are completed yet.'
      : `${plural(tally.completed, 'action')} ${isAre(tally.completed)} completed.`,
    tally.overdue === 0
      ? 'No actions are overdue.'
      : `${plural(tally.overdue, 'action')} ${isAre(tally.overdue)} overdue: ` +
        `the date has passed and ${tally.overdue === 1 ? 'it is' : 'they are'} not completed.`,
    tally.dueWithin30Days === 0
      ? `No actions are due in the next ${DUE_SOON_DAYS} days, by ${soonUntil}.`
      : `${plural(tally.dueWithin30Days, 'action')} ${isAre(tally.dueWithin30Days)} due in the ` +
        `next ${DUE_SOON_DAYS} days, by ${soonUntil}.`,
    tally.dueLater === 0
      ? `No actions are due after ${soonUntil}.`
      : `${plural(tally.dueLater, 'action')} ${isAre(tally.dueLater)} due after ${soonUntil}.`,
    tally.noDate === 0
      ? 'Every action that is not completed has a date.'
      : `${plural(tally.noDate, 'action')} ${tally.noDate === 1 ? 'has' : 'have'} no date that can be worked out ` +
        'from the plan.',
  ];
  return { planDueWords: planDueWords(snapshot), ...tally, sentences };
}

/** "in version 7" or "on 31 July 2016". */
function thenWords(previous: PlanSnapshot): string {
  return previous.version ? `in version ${previous.version.number}` : `on ${formatLongDate(previous.asOf)}`;
}

/** Changes in the counts and in the actions themselves since the previous snapshot. */
export function trendSentences(current: PlanSnapshot, previous: PlanSnapshot | null): string[] {
  if (previous === null) return ['No earlier version has been issued, so there is no trend yet.'];
  const then = thenWords(previous);
  const nowCounts = countRatings(current.actions);
  const thenCounts = countRatings(previous.actions);
  const scale = current.review.ratingScale;
  const merged = { ...nowCounts };
  for (const rating of Object.keys(merged) as RatingOrNone[]) merged[rating] += thenCounts[rating];

  const sentences = [
    `The plan had ${plural(previous.actions.length, 'action')} ${then} and ` +
      `has ${numberWords(current.actions.length)} now.`,
  ];
  for (const rating of ratingsToShow(scale, merged)) {
    const now = nowCounts[rating];
    const was = thenCounts[rating];
    if (now === 0 && was === 0) continue;
    const what = upperFirst(`${plural(now, 'action')} ${ratingPhrase(scale, rating, now)}`);
    if (now === was) sentences.push(`${what}, the same as ${then}.`);
    else sentences.push(`${what}, ${now > was ? 'up' : 'down'} from ${numberWords(was)} ${then}.`);
  }
  sentences.push(addedRemovedSentence(current, previous, then));
  return sentences;
}

function addedRemovedSentence(current: PlanSnapshot, previous: PlanSnapshot, then: string): string {
  const before = new Set(previous.actions.map((a) => a.id));
  const after = new Set(current.actions.map((a) => a.id));
  const added = current.actions.filter((a) => !before.has(a.id)).length;
  const removed = previous.actions.filter((a) => !after.has(a.id)).length;
  const since = `since the plan as it was ${then}`;
  if (added === 0 && removed === 0) return `No actions have been added or removed ${since}.`;
  const parts = [
    added > 0 ? `${plural(added, 'action')} ${added === 1 ? 'has' : 'have'} been added` : '',
    removed > 0 ? `${plural(removed, 'action')} ${removed === 1 ? 'has' : 'have'} been removed` : '',
  ].filter(Boolean);
  return `${parts.join(' and ')} ${since}.`;
}

export function buildSummary(current: PlanSnapshot, previous: PlanSnapshot | null): Summary {
  const counts = countRatings(current.actions);
  return {
    totalActions: current.actions.length,
    totalRecommendations: current.recommendations.length,
    counts,
    sentences: ratingSentences(current, counts),
    byOrganisation: countByOrganisation(current),
    due: dueSummary(current),
    trend: trendSentences(current, previous),
    lasting: lastingSummary(current),
  };
}
