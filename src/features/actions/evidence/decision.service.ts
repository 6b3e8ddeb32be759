import { dateInEngland, formatDate } from '../../../domain/dates.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { FormInvalid } from '../../../platform/form-schema.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { findEvidence, updateEvidenceDecision, type EvidenceRow } from './evidence.repository.ts';
import type { DecisionCommand } from './evidence.forms.ts';
import { findEvidenceWithdrawal, type WithdrawalRow } from './withdrawals.repository.ts';
import { actingOrganisation, requireAssurer } from '../assurance.policy.ts';

export interface EvidenceForDecision {
  access: ActionAccess;
  evidence: EvidenceRow;
  /** Evidence withdrawn by whoever added it is not decided on. */
  withdrawal: WithdrawalRow | null;
}

/** Evidence of this review and its action, if this person may decide on it. */
export async function getEvidenceForDecision(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
): Promise<EvidenceForDecision> {
  await getReview(ctx, actor, reviewId);
  const evidence = await findEvidence(ctx.db, reviewId, evidenceId);
  if (!evidence) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
  const access = await getActionAccess(ctx, actor, reviewId, evidence.action_id);
  requireAssurer(access);
  return { access, evidence, withdrawal: (await findEvidenceWithdrawal(ctx.db, evidence.id)) ?? null };
}

/** The refusal of a decision on evidence withdrawn by whoever added it. */
function withdrawnRefusal(withdrawal: WithdrawalRow): FormInvalid {
  const on = formatDate(dateInEngland(new Date(withdrawal.created_at)));
  return FormInvalid.of(
    'decision',
    `${withdrawal.actor_name} withdrew this evidence on ${on}, so there is nothing to decide.`,
    409,
  );
}

/** "Alex Reviewer accepted this evidence on 23 November 2026" */
function whoDecided(evidence: EvidenceRow): string {
  const what = evidence.status === 'accepted' ? 'accepted' : evidence.status === 'rejected' ? 'rejected' : 'changed';
  const when = evidence.status_at ? ` on ${formatDate(evidence.status_at)}` : '';
  return `${evidence.status_by_name ?? 'Someone else'} ${what} this evidence${when}`;
}

export interface DecidedEvidence {
  evidence: EvidenceRow;
}

/** The refusal of a decision taken on evidence someone has decided on since the form was opened. */
function staleDecision(current: EvidenceRow): FormInvalid {
  return FormInvalid.of(
    'decision',
    `${whoDecided(current)} while you were deciding. Check the decision below, then decide again if you need to.`,
    409,
  );
}

/**
 * Accepts or rejects evidence (the form makes sure a rejection has a reason). The decision is
 * recorded only if nobody has decided since the form was opened, read in the same transaction
 * as the write: otherwise it is refused (409), saying who decided what, so nobody overturns a
 * decision they have not seen. Withdrawn evidence is refused the same way (409): the item is
 * locked first, so a withdrawal and a decision sent at once cannot both succeed.
 */
export async function decideEvidence(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
  decision: DecisionCommand,
): Promise<DecidedEvidence> {
  const { access } = await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
  const { status, reason, version } = decision;
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    const evidence = await findEvidence(trx, reviewId, evidenceId, { lock: true });
    if (!evidence) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
    const withdrawal = await findEvidenceWithdrawal(trx, evidence.id);
    if (withdrawal) throw withdrawnRefusal(withdrawal);
    if (evidence.version !== version) throw staleDecision(evidence);
    const updated = await updateEvidenceDecision(trx, evidence.id, version, {
      status,
      reason,
      byName: actor.name,
      byUserId: actor.userId,
      at: now.toISOString(),
    });
    if (!updated) throw staleDecision((await findEvidence(trx, reviewId, evidenceId)) ?? evidence);
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        organisationId: actingOrganisation(actor, access, 'assurer'),
        reviewId: access.review.id,
        actionId: access.action.id,
        entityType: 'evidence_item',
        entityId: evidence.id,
        action: 'updated',
        before: {
          status: evidence.status,
          status_reason: evidence.status_reason,
          status_by_name: evidence.status_by_name,
          version: evidence.version,
        },
        after: { status, status_reason: reason, status_by_name: actor.name, version: evidence.version + 1 },
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
  const current = await findEvidence(ctx.db, reviewId, evidenceId);
  if (!current) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
  return { evidence: current };
}
