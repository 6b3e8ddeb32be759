import { NotFoundError } from '../../platform/http/errors.ts';
import { actionLabel } from '../../domain/words.ts';
import type { ReviewRow } from '../../platform/db/schema.ts';
import { ratingHistoryOf, currentRating } from '../../domain/ratings.ts';
import { readDateWords } from '../../domain/date-words.ts';
import { reviewBeganOn } from '../../domain/review-dates.ts';
import { findExceptions } from '../../domain/exceptions.ts';
import { canAssure, canEditAction, type Actor } from '../../domain/permissions.ts';
import { dueDatePosition } from '../../domain/due-dates.ts';
import { lastingAssurance } from '../../domain/lasting-assurance.ts';
import { actionAssignments } from './assignments/assignment-list.ts';
import { actionDueDateHistory, getReview, analysisOptions, type ReviewsContext } from '../reviews/reviews.service.ts';

export { analysisOptions };
import {
  countEarlierActions,
  findAction,
  listActionOrganisationIds,
  listActionOrganisations,
  listActionQuestions,
  listChallenges,
  listEvidence,
  listProgress,
  listRatingEvents,
} from './actions.repository.ts';

type ActionRow = NonNullable<Awaited<ReturnType<typeof findAction>>>;

/** An action of a review this person can read, with what they may do to it. */
export interface ActionAccess {
  review: ReviewRow;
  action: ActionRow;
  /** 'Action 2 of recommendation 1.1' */
  label: string;
  organisationIds: number[];
  /** Post progress, add evidence, propose ratings, edit: editors of its organisations and coordinators. */
  canEdit: boolean;
  /** Decide on evidence, agree or challenge ratings: reviewers and coordinators. */
  canAssure: boolean;
}

/** The action, if this person can read its review (404 otherwise), and what they may do to it. */
export async function getActionAccess(
  ctx: ReviewsContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<ActionAccess> {
  const review = await getReview(ctx, actor, reviewId);
  const action = await findAction(ctx.db, reviewId, actionId);
  if (!action) throw new NotFoundError(`Review ${reviewId} has no action ${actionId}`);
  const [organisationIds, earlier] = await Promise.all([
    listActionOrganisationIds(ctx.db, reviewId, actionId),
    countEarlierActions(ctx.db, action.recommendation_id, action.position, action.id),
  ]);
  return {
    review,
    action,
    label: actionLabel(earlier + 1, action.recommendation_number),
    organisationIds,
    canEdit: canEditAction(actor, review.id, organisationIds),
    canAssure: canAssure(actor, review.id),
  };
}

/**
 * Whether this person may edit this action of a review they can read: one query, so a kept
 * action page can be chosen by it before anything else is read.
 */
export async function canEditThisAction(
  ctx: ReviewsContext,
  actor: Actor,
  review: ReviewRow,
  actionId: number,
): Promise<boolean> {
  return canEditAction(actor, review.id, await listActionOrganisationIds(ctx.db, review.id, actionId));
}

type RatingRows = Awaited<ReturnType<typeof listRatingEvents>>;
type ChallengeRows = Awaited<ReturnType<typeof listChallenges>>;

function historyOf(ratings: RatingRows, challenges: ChallengeRows) {
  return ratingHistoryOf(ratings, challenges);
}

/**
 * The rating history and evidence of an action, for a caller that has already checked the
 * person's access to it (getActionAccess).
 */
export async function getActionRatingState(ctx: ReviewsContext, access: ActionAccess) {
  const actionId = access.action.id;
  const [ratings, challenges, evidence] = await Promise.all([
    listRatingEvents(ctx.db, actionId),
    listChallenges(ctx.db, actionId),
    listEvidence(ctx.db, actionId),
  ]);
  const history = historyOf(ratings, challenges);
  return { ratings, challenges, evidence, history, current: currentRating(history) };
}

export async function getActionPage(ctx: ReviewsContext, actor: Actor, reviewId: number, actionId: number) {
  const review = await getReview(ctx, actor, reviewId);
  const action = await findAction(ctx.db, reviewId, actionId);
  if (!action) throw new NotFoundError(`Review ${reviewId} has no action ${actionId}`);
  const [organisations, progress, ratings, challenges, evidence, earlier, dueDateHistory, assignments, questions] =
    await Promise.all([
      listActionOrganisations(ctx.db, actionId),
      listProgress(ctx.db, actionId),
      listRatingEvents(ctx.db, actionId),
      listChallenges(ctx.db, actionId),
      listEvidence(ctx.db, actionId),
      countEarlierActions(ctx.db, action.recommendation_id, action.position, action.id),
      actionDueDateHistory(ctx.db, reviewId, actionId),
      actionAssignments(ctx.db, actionId),
      listActionQuestions(ctx.db, actionId),
    ]);
  const history = historyOf(ratings, challenges);
  const current = currentRating(history);
  const acceptedEvidenceDates = evidence.filter((e) => e.status === 'accepted').map((e) => e.effective_on);
  const dueDates = dueDatePosition(action.due_date, dueDateHistory);
  const label = actionLabel(earlier + 1, action.recommendation_number);
  const options = analysisOptions(ctx, review);
  const assurance = lastingAssurance({
    scale: review.rating_scale,
    agreed: current.agreed,
    agreedAt: current.agreedAt,
    reassuranceDueOn: action.reassurance_due_on,
    acceptedEvidenceDates,
    staleDays: options.staleDays,
    today: options.today,
  });
  // The same rules as the review's exception list, applied to this one action.
  const exceptions = findExceptions(
    {
      scale: review.rating_scale,
      organisations: organisations.map((o) => ({ id: String(o.id), name: o.short_name || o.name })),
      recommendations: [
        {
          id: String(action.recommendation_id),
          number: action.recommendation_number,
          addressedOrganisationIds: [],
          outcome: action.recommendation_outcome,
        },
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
          // A withdrawn update is not progress.
          lastProgressOn: progress.filter((u) => u.withdrawn_at === null).at(-1)?.progress_on ?? null,
          ratingHistory: history,
          acceptedEvidenceDates,
          archived: action.archived_at !== null,
          sustainHow: action.sustain_how,
          reassuranceDueOn: action.reassurance_due_on,
          assignments: assignments.map((a) => ({
            organisationId: String(a.organisationId),
            assignedAt: a.assignedAt,
            answer: a.answer,
          })),
          proposedDueDate: dueDates.pending && {
            date: dueDates.pending.proposedDate,
            on: dueDates.pending.at,
            reason: dueDates.pending.reason,
          },
        },
      ],
      // Questions about the action still waiting for a published response.
      questions:
        action.archived_at !== null
          ? []
          : questions
              .filter((q) => q.response_status !== 'published')
              .map((q) => ({
                id: String(q.id),
                text: q.text,
                askedBy: q.asked_by,
                askedOn: q.asked_on,
                drafted: q.response_status === 'draft',
                subject: { type: 'action' as const, id: String(action.id), label },
                recommendationId: String(action.recommendation_id),
                organisationIds:
                  q.organisation_id !== null ? [String(q.organisation_id)] : organisations.map((o) => String(o.id)),
                lead: action.lead_text,
              })),
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
    challenges,
    evidence,
    current,
    assurance,
    assignments,
    publishedQuestions: questions.filter((q) => q.response_status === 'published'),
    // Read as a plan import reads them, so the page says why words dated before the review gave no due date.
    dateReading: readDateWords(action.date_words, {
      reviewBegan: reviewBeganOn({ reviewStart: review.review_start, published: review.report_published }),
    }),
    exceptions,
    options,
    dueDates,
  };
}

export type ActionPage = Awaited<ReturnType<typeof getActionPage>>;
