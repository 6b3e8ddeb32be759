import { recordAudit } from '../../../platform/audit.ts';
import type { FormErrors } from '../../../platform/forms.ts';
import {
  needsRecentEvidence,
  proposalAwaitingDecision,
  ratingName,
  ratingsOf,
  recentEvidenceWindow,
  type CurrentRating,
  type Rating,
} from '../../../domain/ratings.ts';
import type { Actor } from '../../../domain/permissions.ts';
import { plural } from '../../../domain/words.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, getActionRatingState, type ActionAccess } from '../actions.service.ts';
import { insertRatingChallenge, insertRatingEvent } from './rating.repository.ts';
import { ValidationFailed } from '../assurance.forms.ts';
import type { RatingDraft } from './rating.forms.ts';
import { actingOrganisation, requireAssurer } from '../assurance.policy.ts';

export interface RatingForm {
  access: ActionAccess;
  current: CurrentRating;
  ratings: Rating[];
  latestProposal: { rating: Rating; decidedOn: string; by: string } | null;
  /** Accepted evidence dated within the stale window ending today. */
  recentEvidence: { title: string; effectiveOn: string }[];
  window: { from: string; to: string };
  staleDays: number;
  /** Whether the latest proposal waits for the group and so can be challenged. */
  challengeable: boolean;
}

/** What the group needs in order to agree or challenge an action's rating, if this person may. */
export async function getRatingForm(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<RatingForm> {
  const access = await getActionAccess(ctx, actor, reviewId, actionId);
  requireAssurer(access);
  const state = await getActionRatingState(ctx, access);
  const staleDays = access.review.stale_days ?? ctx.staleDays;
  const window = recentEvidenceWindow(ctx.today(), staleDays);
  const proposal = state.ratings.filter((r) => r.kind === 'proposed').at(-1);
  return {
    access,
    current: state.current,
    ratings: ratingsOf(access.review.rating_scale),
    latestProposal: proposal
      ? { rating: proposal.rating, decidedOn: proposal.decided_on, by: proposal.actor_name }
      : null,
    recentEvidence: state.evidence
      .filter((e) => e.status === 'accepted' && e.effective_on >= window.from && e.effective_on <= window.to)
      .map((e) => ({ title: e.title, effectiveOn: e.effective_on })),
    window,
    staleDays,
    challengeable: proposalAwaitingDecision(state.history),
  };
}

export type RatingDecisionResult =
  | { kind: 'agreed'; ratingEventId: number; rating: Rating }
  | { kind: 'challenged'; challengeId: number; rating: Rating };

/**
 * The peer challenge group agrees a rating, or challenges the latest proposal. Green and
 * Blue are agreed only on accepted evidence dated within the review's stale window, unless
 * the group records why it agrees without it (the override stays visible in the plan).
 */
export async function decideRating(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  draft: RatingDraft,
  errors: FormErrors,
): Promise<RatingDecisionResult> {
  const form = await getRatingForm(ctx, actor, reviewId, actionId);
  const { access } = form;
  const today = ctx.today();
  const now = ctx.now();
  const audit = {
    actor: actor.name,
    userId: actor.userId,
    organisationId: actingOrganisation(actor, access, 'assurer'),
    reviewId: access.review.id,
    actionId: access.action.id,
    requestId: actor.requestId ?? null,
  };

  if (draft.decision === 'agree') {
    const rating = form.ratings.find((r) => r === draft.rating);
    if (!rating) errors.add('rating', 'Select the rating the group agreed');
    if (!draft.rationale) errors.add(draft.rationaleField, 'Enter why the group agreed this rating');
    let overrideReason: string | null = null;
    if (rating && needsRecentEvidence(rating) && form.recentEvidence.length === 0) {
      if (draft.overrideReason) overrideReason = draft.overrideReason;
      else {
        errors.add(
          'overrideReason',
          `There is no accepted evidence dated in the last ${plural(form.staleDays, 'day')}. ` +
            `Give a reason to agree ${ratingName(rating)} without it, or accept evidence first`,
        );
      }
    }
    if (errors.any || !rating) throw new ValidationFailed(errors);
    const ratingEventId = await ctx.db.transaction().execute(async (trx) => {
      const id = await insertRatingEvent(trx, {
        review_id: access.review.id,
        action_id: access.action.id,
        kind: 'agreed',
        rating,
        decided_on: today,
        user_id: actor.userId,
        actor_name: actor.name,
        rationale: draft.rationale,
        override_reason: overrideReason,
        is_illustrative: 0,
        created_at: now.toISOString(),
      });
      await recordAudit(
        trx,
        {
          ...audit,
          entityType: 'rating_event',
          entityId: id,
          action: 'created',
          after: {
            kind: 'agreed',
            rating,
            decided_on: today,
            rationale: draft.rationale,
            override_reason: overrideReason,
          },
        },
        now,
      );
      return id;
    });
    return { kind: 'agreed', ratingEventId, rating };
  }

  if (draft.decision === 'challenge') {
    const proposed = form.current.proposed;
    if (!form.challengeable || proposed === null) {
      errors.add(
        draft.rationaleField,
        'There is no proposed rating waiting for the group to decide on, so there is nothing to challenge',
      );
    } else if (!draft.rationale) {
      errors.add(draft.rationaleField, 'Enter why the group challenges the proposed rating');
    }
    if (errors.any || proposed === null) throw new ValidationFailed(errors);
    const challengeId = await ctx.db.transaction().execute(async (trx) => {
      const id = await insertRatingChallenge(trx, {
        review_id: access.review.id,
        action_id: access.action.id,
        rating: proposed,
        decided_on: today,
        user_id: actor.userId,
        actor_name: actor.name,
        rationale: draft.rationale,
        created_at: now.toISOString(),
      });
      await recordAudit(
        trx,
        {
          ...audit,
          entityType: 'rating_challenge',
          entityId: id,
          action: 'created',
          after: { rating: proposed, decided_on: today, rationale: draft.rationale },
        },
        now,
      );
      return id;
    });
    return { kind: 'challenged', challengeId, rating: proposed };
  }

  errors.add('decision', 'Choose whether to agree a rating or challenge the proposed rating');
  throw new ValidationFailed(errors);
}
