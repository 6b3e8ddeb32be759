import { recordAudit } from '../../../platform/audit.ts';
import { parseForm } from '../../../platform/form-schema.ts';
import type { Trx } from '../../../platform/db/database.ts';
import { FormInvalid } from '../../../platform/form-schema.ts';
import {
  needsRecentEvidence,
  proposalAwaitingDecision,
  ratingsOf,
  recentEvidenceWindow,
  type CurrentRating,
  type Rating,
} from '../../../domain/ratings.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { analysisOptions, getActionAccess, getActionRatingState, type ActionAccess } from '../actions.service.ts';
import { listAcceptedEvidenceBetween } from '../evidence/evidence.repository.ts';
import { insertRatingChallenge, insertRatingEvent, lockActionRating } from './rating.repository.ts';
import {
  NOTHING_TO_CHALLENGE,
  ratingForm,
  unevidencedProblem,
  type RatingCommand,
  type RatingRules,
} from './rating.forms.ts';
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
  // Assessed as at the review's date where it has one (the demo's 31 July 2016), as every rule is.
  const { today: assessedOn, staleDays } = analysisOptions(ctx, access.review);
  const window = recentEvidenceWindow(assessedOn, staleDays);
  const proposal = state.ratings.filter((r) => r.kind === 'proposed').at(-1);
  return {
    access,
    current: state.current,
    ratings: ratingsOf(access.review.rating_scale),
    latestProposal: proposal
      ? { rating: proposal.rating, decidedOn: proposal.effective_on ?? proposal.decided_on, by: proposal.actor_name }
      : null,
    recentEvidence: state.evidence
      .filter((e) => e.status === 'accepted' && e.effective_on >= window.from && e.effective_on <= window.to)
      .map((e) => ({ title: e.title, effectiveOn: e.effective_on })),
    window,
    staleDays,
    challengeable: proposalAwaitingDecision(state.history),
  };
}

/** What the rating form of this action is checked against, if this person may agree or challenge its rating. */
export async function ratingRules(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<RatingRules> {
  const form = await getRatingForm(ctx, actor, reviewId, actionId);
  return {
    ratings: form.ratings,
    staleDays: form.staleDays,
    hasRecentEvidence: form.recentEvidence.length > 0,
    challengeable: form.challengeable && form.current.proposed !== null,
  };
}

/**
 * A rating decision sent from elsewhere (a meeting's decisions), read with the action's own
 * rating form and its rules, and the action it is about, if this person may decide.
 */
export async function readRatingDecision(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  body: Record<string, unknown>,
  options: { evidenceAcceptedWithIt?: boolean } = {},
): Promise<{ access: ActionAccess; command: RatingCommand }> {
  const found = await ratingRules(ctx, actor, reviewId, actionId);
  // Evidence accepted in the same batch counts: the write checks the rule again once it is accepted.
  const rules = { ...found, hasRecentEvidence: found.hasRecentEvidence || options.evidenceAcceptedWithIt === true };
  const command = await parseForm(ratingForm(rules), body);
  return { access: await getActionAccess(ctx, actor, reviewId, actionId), command };
}

export type RatingDecisionResult =
  | { kind: 'agreed'; ratingEventId: number; rating: Rating }
  | { kind: 'challenged'; challengeId: number; rating: Rating };

/**
 * The peer challenge group agrees a rating, or challenges the latest proposal. Green and
 * Blue are agreed only on accepted evidence dated within the review's stale window, unless
 * the group records why it agrees without it (the override stays visible in the plan).
 * The form was checked against the action as it stood; the rules are read again inside the
 * transaction that writes, so evidence rejected or a proposal decided on meanwhile is
 * refused as the form would have refused it.
 */
export async function decideRating(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  decision: RatingCommand,
): Promise<RatingDecisionResult> {
  const access = await getActionAccess(ctx, actor, reviewId, actionId);
  requireAssurer(access);
  return ctx.db.transaction().execute((trx) => writeRatingDecision(ctx, trx, actor, access, decision, null));
}

/**
 * The write behind decideRating, in the caller's transaction: the action's own rating form
 * (meetingId null) and a meeting's decisions (src/features/meetings) record a decision the
 * same way, with the same rules and the same audit event. The caller has checked that this
 * person may decide (requireAssurer).
 */
export async function writeRatingDecision(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  access: ActionAccess,
  decision: RatingCommand,
  meetingId: number | null,
): Promise<RatingDecisionResult> {
  const { today: assessedOn, staleDays } = analysisOptions(ctx, access.review);
  // The day it is recorded; the evidence it needs is judged as at the review's assessment date.
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
  // A decision taken at a meeting says so in its audit event; one on the action's own form is unchanged.
  const atMeeting = meetingId === null ? {} : { meeting_id: meetingId };

  await lockActionRating(trx, access.action.id);

  if (decision.decision === 'agree') {
    const { rating, rationale } = decision;
    const recent = await listAcceptedEvidenceBetween(
      trx,
      access.action.id,
      recentEvidenceWindow(assessedOn, staleDays),
    );
    const unevidenced = unevidencedProblem(rating, recent.length > 0, decision.overrideReason, staleDays);
    if (unevidenced) throw FormInvalid.of('overrideReason', unevidenced);
    const overrideReason = needsRecentEvidence(rating) && recent.length === 0 ? decision.overrideReason : null;
    const ratingEventId = await insertRatingEvent(trx, {
      review_id: access.review.id,
      action_id: access.action.id,
      kind: 'agreed',
      rating,
      decided_on: today,
      user_id: actor.userId,
      actor_name: actor.name,
      rationale,
      override_reason: overrideReason,
      is_illustrative: 0,
      meeting_id: meetingId,
      created_at: now.toISOString(),
    });
    await recordAudit(
      trx,
      {
        ...audit,
        entityType: 'rating_event',
        entityId: ratingEventId,
        action: 'created',
        after: { kind: 'agreed', rating, decided_on: today, rationale, override_reason: overrideReason, ...atMeeting },
      },
      now,
    );
    return { kind: 'agreed', ratingEventId, rating };
  }

  const { rationale, rationaleField } = decision;
  const state = await getActionRatingState({ ...ctx, db: trx }, access);
  const proposed = state.current.proposed;
  if (!proposalAwaitingDecision(state.history) || proposed === null) {
    throw FormInvalid.of(rationaleField, NOTHING_TO_CHALLENGE);
  }
  const challengeId = await insertRatingChallenge(trx, {
    review_id: access.review.id,
    action_id: access.action.id,
    rating: proposed,
    decided_on: today,
    user_id: actor.userId,
    actor_name: actor.name,
    rationale,
    meeting_id: meetingId,
    created_at: now.toISOString(),
  });
  await recordAudit(
    trx,
    {
      ...audit,
      entityType: 'rating_challenge',
      entityId: challengeId,
      action: 'created',
      after: { rating: proposed, decided_on: today, rationale, ...atMeeting },
    },
    now,
  );
  return { kind: 'challenged', challengeId, rating: proposed };
}
