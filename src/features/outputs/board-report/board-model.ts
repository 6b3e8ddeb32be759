// The board and scrutiny report worked out from snapshots alone: pure, no database, so an
// issued version's report can be produced again exactly. The HTML, PDF and Word writers
// print what this returns and work nothing out themselves.
import { ratedWords } from '../../../domain/rating-roll-up.ts';
import { formatLongDate } from '../../../domain/dates.ts';
import { EXCEPTION_KINDS, type ExceptionKind } from '../../../domain/exceptions.ts';
import { ratingKey, ratingName, type RatingScale } from '../../../domain/ratings.ts';
import type { PlanComparison } from '../../../domain/plan-comparison.ts';
import {
  agreedAtWords,
  dueDateHistoryOf,
  type PlanSnapshot,
  type SnapshotRecommendation,
} from '../../../domain/plan-snapshot.ts';
import type { BoardReport } from './board-report.ts';
import { byOrganisationChart, overTimeChart } from './board-chart-specs.ts';
import { ratingsOverTime } from './board-over-time.ts';
import { buildSummary } from './board-summary.ts';
import { lapsedActions } from './board-lasting.ts';
import { snapshotWords } from './board-words.ts';
import { plural } from '../../../domain/words.ts';

export interface BoardReportInput {
  current: PlanSnapshot;
  /** The version issued before, for the trend; null when there is none. */
  previous: PlanSnapshot | null;
  /** What changed since `previous`, passed through for "What changed since the last board". */
  changes: PlanComparison | null;
}

export function buildBoardReport(input: BoardReportInput): BoardReport {
  const { current, previous, changes } = input;
  const scale = current.review.ratingScale;
  const summary = buildSummary(current, previous);
  return {
    title: `${current.review.area}: progress of the CLAS action plan`,
    reviewTitle: current.review.title,
    area: current.review.area,
    scale,
    asOfWords: formatLongDate(current.asOf),
    asOf: current.asOf,
    takenAt: current.takenAt,
    basisWords: snapshotWords(current),
    previousWords: previous ? snapshotWords(previous) : null,
    illustrativeNotice: current.review.illustrativeNotice,
    key: ratingKey(scale),
    summary,
    charts: {
      byOrganisation: byOrganisationChart(scale, summary.byOrganisation),
      overTime: overTimeChart(current, ratingsOverTime(current)),
    },
    changes,
    exceptions: exceptionGroups(current),
    deadlines: movedDeadlines(current),
    lapsed: lapsedActions(current),
    questions: current.questions ?? null,
    recommendations: current.recommendations.map((r) => recommendationBasis(current, r)),
  };
}

/** What each kind of exception is called in the report's headings. */
export function exceptionKindWords(kind: ExceptionKind, scale: RatingScale, staleDays: number): string {
  switch (kind) {
    case 'overdue':
      return 'Overdue';
    case 'stale':
      return `No progress for ${plural(staleDays, 'day')}`;
    case 'unevidenced':
      return scale === 'BRAG' ? 'Green or Blue without accepted evidence' : 'Green without accepted evidence';
    case 'disputed':
      return 'Disputed rating';
    case 'awaiting_decision':
      return 'Rating awaiting a decision';
    case 'revised_date_proposed':
      return 'Revised due date awaiting agreement';
    case 'not_smart':
      return 'Not SMART';
    case 'uncovered_organisation':
      return 'Organisation addressed but with no action';
    case 'concern_without_recommendation':
      return 'Concern without a recommendation';
    case 'assurance_lapsed':
      return 'Assurance lapsed after completion';
    case 'no_reassurance_date':
      return 'Completed with no date for fresh evidence';
    case 'assignment_disputed':
      return 'Assignment disputed by an organisation';
    case 'assignment_unaccepted':
      return 'Assignment not yet accepted';
    case 'question_unanswered':
      return 'Question without a published response';
  }
}

/** The snapshot's exceptions grouped by kind, in EXCEPTION_KINDS order; empty kinds are left out. */
function exceptionGroups(snapshot: PlanSnapshot): BoardReport['exceptions'] {
  const numberOf = new Map(snapshot.recommendations.map((r) => [r.id, r.number]));
  return EXCEPTION_KINDS.flatMap((kind) => {
    const items = snapshot.exceptions
      .filter((e) => e.kind === kind)
      .map((e) => ({
        label: e.label,
        recommendationNumber: e.recommendationId === null ? null : (numberOf.get(e.recommendationId) ?? null),
        reason: e.reason,
      }));
    if (items.length === 0) return [];
    return [{ kind, kindWords: exceptionKindWords(kind, snapshot.review.ratingScale, snapshot.staleDays), items }];
  });
}

/** Actions whose due date moved since it was first agreed, or that have a revised date waiting. */
function movedDeadlines(snapshot: PlanSnapshot): BoardReport['deadlines'] {
  const numberOf = new Map(snapshot.recommendations.map((r) => [r.id, r.number]));
  const known = snapshot.actions.every((a) => a.dueDateMoves !== undefined);
  const items = snapshot.actions.flatMap((a) => {
    const { original, moves } = dueDateHistoryOf(a);
    if ((moves ?? 0) === 0 && !a.proposedDueDate) return [];
    return [
      {
        label: a.label,
        recommendationNumber: numberOf.get(a.recommendationId) ?? null,
        originalWords: original ? formatLongDate(original) : 'No date',
        currentWords: a.dueDate ? formatLongDate(a.dueDate) : 'No date',
        moves: moves ?? 0,
        proposedWords: a.proposedDueDate ? `${formatLongDate(a.proposedDueDate)}, not yet agreed` : 'None',
      },
    ];
  });
  return { known, items };
}

/**
 * The facts behind a recommendation's rating, for a reader who asks "how do we know?":
 * accepted evidence, the last progress, who agreed the rating and when. Missing facts are
 * said plainly rather than left out, because an absence is itself what a board needs to see.
 */
export function basisWords(basis: SnapshotRecommendation['basis']): string {
  const sentences: string[] = [];
  if (basis.actions === 0) sentences.push('No actions have been written for this recommendation yet.');
  else sentences.push(`${ratedWords({ unrated: basis.actions - basis.ratedActions, total: basis.actions })}.`);
  sentences.push(
    basis.acceptedEvidence === 0
      ? 'No accepted evidence yet.'
      : `${plural(basis.acceptedEvidence, 'piece')} of accepted evidence.`,
  );
  sentences.push(
    basis.lastProgressOn
      ? `Last progress ${formatLongDate(basis.lastProgressOn.slice(0, 10))}.`
      : 'No progress recorded.',
  );
  sentences.push(
    basis.lastAgreedAt
      ? `Rating ${lowerFirst(agreedAtWords(basis.lastAgreedAt))}${recordedBy(basis.lastAgreedBy)}.`
      : agreedWords(basis.lastAgreedBy, basis.lastAgreedOn),
  );
  return sentences.join(' ');
}

function recordedBy(name: string | null): string {
  return name ? `, recorded by ${name}` : '';
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function agreedWords(by: string | null, on: string | null): string {
  const when = on ? ` on ${formatLongDate(on.slice(0, 10))}` : '';
  if (by) return `Rating agreed by ${by}${when}.`;
  if (on) return `Rating agreed${when}.`;
  return 'No rating has been agreed.';
}

function recommendationBasis(
  snapshot: PlanSnapshot,
  recommendation: SnapshotRecommendation,
): BoardReport['recommendations'][number] {
  const { basis } = recommendation;
  return {
    number: recommendation.number,
    text: recommendation.text,
    rating: recommendation.rating ?? 'none',
    ratingWords: ratingName(recommendation.rating),
    basisWords: basisWords(basis),
    acceptedEvidence: basis.acceptedEvidence,
    lastProgressOn: basis.lastProgressOn,
    lastAgreedBy: basis.lastAgreedBy,
    lastAgreedOn: basis.lastAgreedOn,
    actions: snapshot.actions.filter((a) => a.recommendationId === recommendation.id).length,
  };
}
