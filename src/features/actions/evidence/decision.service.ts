import { dateInEngland, formatDate } from '../../../domain/dates.ts';
import { recordAudit } from '../../../platform/audit.ts';
import type { Trx } from '../../../platform/db/database.ts';
import { FormInvalid, parseForm } from '../../../platform/form-schema.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { findEvidence, updateEvidenceDecision, type EvidenceRow } from './evidence.repository.ts';
import { decisionForm, type DecisionCommand } from './evidence.forms.ts';
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

/**
 * A decision on evidence sent from elsewhere (a meeting's decisions), read with the evidence's
 * own decision form, and the action it belongs to, if this person may decide on it.
 */
export async function readEvidenceDecision(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
  body: Record<string, unknown>,
): Promise<{ access: ActionAccess; command: DecisionCommand }> {
  const { access, withdrawal } = await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
  if (withdrawal) throw withdrawnRefusal(withdrawal);
  return { access, command: await parseForm(decisionForm, body) };
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
  await ctx.db
    .transaction()
    .execute((trx) => writeEvidenceDecision(ctx, trx, actor, access, evidenceId, decision, null));
  const current = await findEvidence(ctx.db, reviewId, evidenceId);
  if (!current) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
  return { evidence: current };
}

/**
 * The write behind decideEvidence, in the caller's transaction: the evidence's own form
 * (meetingId null) and a meeting's decisions (src/features/meetings) record a decision the
 * same way, with the same rules and the same audit event. The caller has checked that this
 * person may decide on the evidence (getEvidenceForDecision).
 */
export async function writeEvidenceDecision(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  access: ActionAccess,
  evidenceId: number,
  decision: DecisionCommand,
  meetingId: number | null,
): Promise<void> {
  const reviewId = access.review.id;
  const { status, reason, version } = decision;
  const now = ctx.now();
  const evidence = await findEvidence(trx, reviewId, evidenceId, { lock: true });
  if (evidence?.action_id !== access.action.id)
    throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
  const withdrawal = await findEvidenceWithdrawal(trx, evidence.id);
  if (withdrawal) throw withdrawnRefusal(withdrawal);
  if (evidence.version !== version) throw staleDecision(evidence);
  const updated = await updateEvidenceDecision(trx, evidence.id, version, {
    status,
    reason,
    byName: actor.name,
    byUserId: actor.userId,
    at: now.toISOString(),
    meetingId,
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
      after: {
        status,
        status_reason: reason,
        status_by_name: actor.name,
        version: evidence.version + 1,
        // A decision taken at a meeting says so; one on the evidence's own form is unchanged.
        ...(meetingId === null ? {} : { meeting_id: meetingId }),
      },
      requestId: actor.requestId ?? null,
    },
    now,
  );
}
