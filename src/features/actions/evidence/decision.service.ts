import { formatDate } from '../../../domain/dates.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { FormErrors } from '../../../platform/forms.ts';
import { NotFoundError } from '../../../platform/http/errors.ts';
import type { Actor } from '../../../domain/permissions.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { getReview } from '../../reviews/reviews.service.ts';
import { findEvidence, updateEvidenceDecision, type EvidenceRow } from './evidence.repository.ts';
import { ValidationFailed } from '../assurance.forms.ts';
import type { DecisionDraft } from './evidence.forms.ts';
import { actingOrganisation, requireAssurer } from '../assurance.policy.ts';

export interface EvidenceForDecision {
  access: ActionAccess;
  evidence: EvidenceRow;
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
  return { access, evidence };
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

/**
 * Accepts or rejects evidence (a rejection needs a reason). The decision is recorded only
 * if nobody has decided since the form was opened: otherwise it is refused (409), saying
 * who decided what, so nobody overturns a decision they have not seen.
 */
export async function decideEvidence(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  evidenceId: number,
  draft: DecisionDraft,
  errors: FormErrors,
): Promise<DecidedEvidence> {
  const { access, evidence } = await getEvidenceForDecision(ctx, actor, reviewId, evidenceId);
  const status = draft.decision === 'accept' ? 'accepted' : draft.decision === 'reject' ? 'rejected' : null;
  if (!status) errors.add('decision', 'Select whether to accept or reject the evidence');
  if (status === 'rejected' && !draft.reason) errors.add('reason', 'Enter why the evidence is rejected');
  if (draft.version === null)
    errors.add(
      'decision',
      'The form is missing the version of the evidence it was opened at. Reload the page and try again.',
    );
  if (errors.any || !status || draft.version === null) throw new ValidationFailed(errors);

  const stale = (current: EvidenceRow): never => {
    const conflict = new FormErrors();
    conflict.add(
      'decision',
      `${whoDecided(current)} while you were deciding. Check the decision below, then decide again if you need to.`,
    );
    throw new ValidationFailed(conflict, 409);
  };
  if (draft.version !== evidence.version) stale(evidence);

  const now = ctx.now();
  const reason = status === 'rejected' ? draft.reason : null;
  const decided = await ctx.db.transaction().execute(async (trx) => {
    const updated = await updateEvidenceDecision(trx, evidence.id, draft.version ?? 0, {
      status,
      reason,
      byName: actor.name,
      byUserId: actor.userId,
      at: now.toISOString(),
    });
    if (!updated) return false;
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
    return true;
  });
  const current = await findEvidence(ctx.db, reviewId, evidenceId);
  if (!current) throw new NotFoundError(`Review ${reviewId} has no evidence ${evidenceId}`);
  if (!decided) stale(current);
  return { evidence: current };
}
