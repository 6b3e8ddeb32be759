import { currentRating, rollUpRatings, type Rating, type RatingScale } from '../../domain/ratings.ts';
import { findExceptions, type PlanException } from '../../domain/exceptions.ts';
import type { PlanState } from './reviews.repository.ts';

export interface AnalysisOptions {
  today: string;
  staleDays: number;
}

export type RollUp = ReturnType<typeof rollUpRatings>;

export interface ActionStatus {
  rating: Rating | null;
  /** True when the rating shown is only proposed: nobody has agreed it yet. */
  awaitingAgreement: boolean;
  disputed: boolean;
  label: string;
}

export interface PlanAnalysis {
  rollUp: RollUp;
  exceptions: PlanException[];
  actionStatus: Map<number, ActionStatus>;
}

function historyOf(events: PlanState['actions'][number]['ratingEvents']) {
  return events.map((e) => ({
    proposed: e.kind === 'proposed' ? e.rating : null,
    agreed: e.kind === 'agreed' ? e.rating : null,
    at: e.decided_on,
  }));
}

/** Numbers the actions of each recommendation 1, 2, 3… in plan order, as people refer to them. */
export function actionLabels(state: Pick<PlanState, 'actions' | 'recommendations'>): Map<number, string> {
  const numberOf = new Map(state.recommendations.map((r) => [r.id, r.number]));
  const seen = new Map<number, number>();
  const labels = new Map<number, string>();
  for (const action of state.actions) {
    const n = (seen.get(action.recommendation_id) ?? 0) + 1;
    seen.set(action.recommendation_id, n);
    labels.set(action.id, `Action ${n} of recommendation ${numberOf.get(action.recommendation_id) ?? '?'}`);
  }
  return labels;
}

/** Rolls ratings up and finds the exceptions of one review's plan, from the rules in src/domain. */
export function analysePlan(state: PlanState, scale: RatingScale, options: AnalysisOptions): PlanAnalysis {
  const labels = actionLabels(state);
  const actionStatus = new Map<number, ActionStatus>();
  for (const action of state.actions) {
    const current = currentRating(historyOf(action.ratingEvents));
    actionStatus.set(action.id, {
      rating: current.agreed ?? current.proposed,
      awaitingAgreement: current.agreed === null && current.proposed !== null,
      disputed: current.disputed,
      label: labels.get(action.id) ?? '',
    });
  }

  const rollUp = rollUpRatings({
    scale,
    actions: state.actions.map((a) => ({
      id: String(a.id),
      recommendationId: String(a.recommendation_id),
      organisationIds: a.organisationIds.map(String),
      rating: actionStatus.get(a.id)?.rating ?? null,
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
        ratingHistory: historyOf(a.ratingEvents),
        acceptedEvidenceDates: a.acceptedEvidenceDates,
      })),
    },
    options,
  );
  return { rollUp, exceptions, actionStatus };
}
