import { NotFoundError } from '../../platform/http/errors.ts';
import { getReviewPlan, type ReviewsContext } from '../reviews/reviews.service.ts';
import type { Actor } from '../../domain/permissions.ts';
import {
  findRecommendationByNumber,
  listActionsOfRecommendation,
  listFindingsOfRecommendation,
  listGroupOrganisations,
} from './recommendations.repository.ts';

export async function getRecommendationPage(ctx: ReviewsContext, actor: Actor, reviewId: number, number: string) {
  const plan = await getReviewPlan(ctx, actor, reviewId);
  const recommendation = await findRecommendationByNumber(ctx.db, reviewId, number);
  if (!recommendation || recommendation.archived_at !== null) {
    throw new NotFoundError(`Review ${reviewId} has no recommendation ${number}`);
  }
  const [organisations, findings, actions] = await Promise.all([
    listGroupOrganisations(ctx.db, recommendation.group_id),
    listFindingsOfRecommendation(ctx.db, recommendation.id),
    listActionsOfRecommendation(ctx.db, recommendation.id),
  ]);
  const orgIdsByAction = new Map(plan.state.actions.map((a) => [a.id, a.organisationIds]));
  const orgNames = new Map(plan.state.organisations.map((o) => [o.id, o.short_name || o.name]));
  return {
    plan,
    recommendation,
    organisations,
    findings,
    actions: actions.map((a) => ({
      ...a,
      status: plan.analysis.actionStatus.get(a.id),
      organisations: (orgIdsByAction.get(a.id) ?? []).map((id) => orgNames.get(id) ?? ''),
    })),
    rollUp: plan.analysis.rollUp.byRecommendation[String(recommendation.id)],
    exceptions: plan.analysis.exceptions.filter((e) => e.recommendationId === String(recommendation.id)),
  };
}

export type RecommendationPage = Awaited<ReturnType<typeof getRecommendationPage>>;
