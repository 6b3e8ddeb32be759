import { dueDatePosition, type DueDatePosition, type PendingDueDate } from '../../domain/due-dates.ts';
import {
  ratingHistoryOf,
  currentRating,
  shownRating,
  type Rating,
  type RatingHistoryEntry,
  type RatingScale,
} from '../../domain/ratings.ts';
import { actionLabel } from '../../domain/words.ts';
import { rollUpRatings } from '../../domain/rating-roll-up.ts';
import { findExceptions, type PlanException, type QuestionForExceptions } from '../../domain/exceptions.ts';
import { lastingAssurance, type LastingAssuranceState } from '../../domain/lasting-assurance.ts';
import type { PlanState } from './reviews.repository.ts';

export interface AnalysisOptions {
  today: string;
  staleDays: number;
  /** An assignment with no answer this many days old is chased. */
  assignmentDays: number;
  /** A question without a published response this many days old is chased. */
  questionDays: number;
}

export type RollUp = ReturnType<typeof rollUpRatings>;

export interface ActionStatus {
  rating: Rating | null;
  /** True when the rating shown is only proposed: nobody has agreed it yet. */
  awaitingAgreement: boolean;
  disputed: boolean;
  /** The day of the proposal waiting for the group's decision, or null when none waits. */
  awaitingDecisionSince: string | null;
  label: string;
  /** Its agreed, original and proposed due dates and how often the agreed one moved. */
  dueDate: DueDatePosition;
  /** Whether a completed action's effect is shown to last (src/domain/lasting-assurance.ts). */
  assurance: LastingAssuranceState;
}

export interface PlanAnalysis {
  rollUp: RollUp;
  exceptions: PlanException[];
  actionStatus: Map<number, ActionStatus>;
}

/** Proposals, agreements (with any override reason) and challenges, in the order they happened. */
function historyOf(action: PlanState['actions'][number]): RatingHistoryEntry[] {
  return ratingHistoryOf(action.ratingEvents, action.challenges);
}

/** Numbers the actions of each recommendation 1, 2, 3… in plan order, as people refer to them. */
export function actionLabels(state: Pick<PlanState, 'actions' | 'recommendations'>): Map<number, string> {
  const numberOf = new Map(state.recommendations.map((r) => [r.id, r.number]));
  const seen = new Map<number, number>();
  const labels = new Map<number, string>();
  for (const action of state.actions) {
    const n = (seen.get(action.recommendation_id) ?? 0) + 1;
    seen.set(action.recommendation_id, n);
    labels.set(action.id, actionLabel(n, numberOf.get(action.recommendation_id) ?? '?'));
  }
  return labels;
}

/**
 * What each question waiting for a published response is about: a live action, else its
 * recommendation, else the review.
 */
function questionsOf(state: PlanState, labels: Map<number, string>): QuestionForExceptions[] {
  const actions = new Map(state.actions.map((a) => [a.id, a]));
  const recommendations = new Map(state.recommendations.map((r) => [r.id, r]));
  return state.questions.map((q) => {
    const action = q.action_id === null ? undefined : actions.get(q.action_id);
    const recommendation = recommendations.get(action?.recommendation_id ?? q.recommendation_id ?? -1);
    const subject = action
      ? { type: 'action' as const, id: String(action.id), label: labels.get(action.id) ?? '' }
      : recommendation
        ? {
            type: 'recommendation' as const,
            id: String(recommendation.id),
            label: `Recommendation ${recommendation.number}`,
          }
        : { type: 'review' as const, id: String(q.review_id), label: 'The review' };
    const organisationIds = q.organisation_id !== null ? [q.organisation_id] : (action?.organisationIds ?? []);
    return {
      id: String(q.id),
      text: q.text,
      askedBy: q.asked_by,
      askedOn: q.asked_on,
      drafted: q.response_status === 'draft',
      subject,
      ...(recommendation ? { recommendationId: String(recommendation.id) } : {}),
      organisationIds: organisationIds.map(String),
      ...(action ? { lead: action.lead_text } : {}),
    };
  });
}

function proposedDueDateOf(pending: PendingDueDate | null) {
  return pending && { date: pending.proposedDate, on: pending.at, reason: pending.reason };
}

/** Rolls ratings up and finds the exceptions of one review's plan, from the rules in src/domain. */
export function analysePlan(state: PlanState, scale: RatingScale, options: AnalysisOptions): PlanAnalysis {
  const labels = actionLabels(state);
  const actionStatus = new Map<number, ActionStatus>();
  const histories = new Map(state.actions.map((a) => [a.id, historyOf(a)]));
  for (const action of state.actions) {
    const current = currentRating(histories.get(action.id) ?? []);
    const assurance = lastingAssurance({
      scale,
      agreed: current.agreed,
      agreedAt: current.agreedAt,
      reassuranceDueOn: action.reassurance_due_on,
      acceptedEvidenceDates: action.acceptedEvidenceDates,
      staleDays: options.staleDays,
      today: options.today,
    });
    actionStatus.set(action.id, {
      assurance,
      rating: shownRating(current),
      awaitingAgreement: current.agreed === null && current.proposed !== null,
      disputed: current.disputed,
      awaitingDecisionSince: current.awaitingDecision ? (current.proposedAt?.slice(0, 10) ?? null) : null,
      label: labels.get(action.id) ?? '',
      dueDate: dueDatePosition(action.due_date, action.dueDateChanges ?? []),
    });
  }

  const rollUp = rollUpRatings({
    scale,
    actions: state.actions.map((a) => ({
      id: String(a.id),
      recommendationId: String(a.recommendation_id),
      organisationIds: a.organisationIds.map(String),
      rating: actionStatus.get(a.id)?.rating ?? null,
      lapsed: actionStatus.get(a.id)?.assurance === 'lapsed',
    })),
    recommendationIds: state.recommendations.map((r) => String(r.id)),
    organisationIds: state.organisations.map((o) => String(o.id)),
  });

  const groupOrgs = new Map(state.groups.map((g) => [g.id, g.organisationIds]));
  const exceptions = findExceptions(
    {
      scale,
      organisations: state.organisations.map((o) => ({ id: String(o.id), name: o.short_name || o.name })),
      recommendations: state.recommendations.map((r) => ({
        id: String(r.id),
        number: r.number,
        addressedOrganisationIds: (groupOrgs.get(r.group_id) ?? []).map(String),
        outcome: r.outcome,
      })),
      findings: state.findings.map((f) => ({
        id: String(f.id),
        number: f.number,
        kind: f.kind,
        recommendationIds: f.recommendationIds.map(String),
      })),
      actions: state.actions.map((a) => ({
        id: String(a.id),
        recommendationId: String(a.recommendation_id),
        label: labels.get(a.id) ?? '',
        organisationIds: a.organisationIds.map(String),
        lead: a.lead_text,
        dateWords: a.date_words,
        dueDate: a.due_date,
        measure: a.measure,
        createdOn: a.created_on,
        lastProgressOn: a.lastProgressOn,
        ratingHistory: histories.get(a.id) ?? [],
        acceptedEvidenceDates: a.acceptedEvidenceDates,
        proposedDueDate: proposedDueDateOf(actionStatus.get(a.id)?.dueDate.pending ?? null),
        sustainHow: a.sustain_how,
        reassuranceDueOn: a.reassurance_due_on,
        assignments: a.assignments.map((s) => ({
          organisationId: String(s.organisationId),
          assignedAt: s.assignedAt,
          answer: s.answer,
        })),
      })),
      questions: questionsOf(state, labels),
    },
    options,
  );
  return { rollUp, exceptions, actionStatus };
}
