import { NotFoundError } from '../../platform/http.ts';
import { currentRating } from '../../domain/ratings.ts';
import { readDateWords } from '../../domain/date-words.ts';
import { findExceptions } from '../../domain/exceptions.ts';
import { getReview, analysisOptions, type ReviewsContext } from '../reviews/reviews.service.ts';
import type { Actor } from '../../domain/permissions.ts';
import {
  countEarlierActions,
  findAction,
  listActionOrganisations,
  listEvidence,
  listProgress,
  listRatingEvents,
} from './actions.repository.ts';

export async function getActionPage(ctx: ReviewsContext, actor: Actor, reviewId: number, actionId: number) {
  const review = await getReview(ctx, actor, reviewId);
  const action = await findAction(ctx.db, reviewId, actionId);
  if (!action) throw new NotFoundError(`Review ${reviewId} has no action ${actionId}`);
  const [organisations, progress, ratings, evidence, earlier] = await Promise.all([
    listActionOrganisations(ctx.db, actionId),
    listProgress(ctx.db, actionId),
    listRatingEvents(ctx.db, actionId),
    listEvidence(ctx.db, actionId),
    countEarlierActions(ctx.db, action.recommendation_id, action.position, action.id),
  ]);
  const history = ratings.map((r) => ({
    proposed: r.kind === 'proposed' ? r.rating : null,
    agreed: r.kind === 'agreed' ? r.rating : null,
    at: r.decided_on,
  }));
  const label = `Action ${earlier + 1} of recommendation ${action.recommendation_number}`;
  const options = analysisOptions(ctx, review);
  // The same rules as the review's exception list, applied to this one action.
  const exceptions = findExceptions(
    {
      scale: review.rating_scale,
      organisations: [],
      recommendations: [
        { id: String(action.recommendation_id), number: action.recommendation_number, addressedOrganisationIds: [], outcome: action.recommendation_outcome },
      ],
      findings: [],
      actions: [
        {
          id: String(action.id),
          recommendationId: String(action.recommendation_id),
          label,
          organisationIds: organisations.map((o) => String(o.id)),
          lead: action.lead_text,
          dateWords: action.date_words,
          dueDate: action.due_date,
          measure: action.measure,
          createdOn: action.created_on,
          lastProgressOn: progress.at(-1)?.progress_on ?? null,
          ratingHistory: history,
          acceptedEvidenceDates: evidence.filter((e) => e.status === 'accepted').map((e) => e.effective_on),
          archived: action.archived_at !== null,
        },
      ],
    },
    options,
  );
  return {
    review,
    action,
    label,
    organisations,
    progress,
    ratings,
    evidence,
    current: currentRating(history),
    dateReading: readDateWords(action.date_words),
    exceptions,
    options,
  };
}

export type ActionPage = Awaited<ReturnType<typeof getActionPage>>;
