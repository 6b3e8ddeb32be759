import type { Trx } from '../../../platform/db/database.ts';
import { ForbiddenError } from '../../../platform/auth/plugin.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { FormInvalid, parseForm } from '../../../platform/form-schema.ts';
import { canCoordinate, type Actor } from '../../../domain/permissions.ts';
import { formatLongDate } from '../../../domain/dates.ts';
import {
  dueDatePosition,
  proposalProblem,
  type DueDateChange,
  type DueDatePosition,
} from '../../../domain/due-dates.ts';
import { actionDueDateHistory } from '../../reviews/reviews.service.ts';
import { auditActor } from '../../reviews/plan-edits.service.ts';
import type { AppContext } from '../../context.ts';
import { getActionAccess, type ActionAccess } from '../actions.service.ts';
import { insertDueDateChange, moveAgreedDueDate, type NewDueDateChange } from './due-dates.repository.ts';
import { decideDueDateForm, type DecideDueDateCommand, type ProposeDueDateCommand } from './due-dates.forms.ts';

/*
 * Deadlines are agreed, not quietly moved: an editor of the action's organisations proposes a
 * revised due date with a reason; only the plan's coordinator agrees it (the due date then
 * moves) or refuses it with a reason. Every proposal and decision is a new row of
 * due_date_changes and an audit event, written in one transaction.
 */

export interface DueDates {
  access: ActionAccess;
  position: DueDatePosition;
  /** Oldest first. */
  history: DueDateChange[];
  canPropose: boolean;
  canDecide: boolean;
}

/** An action's due dates and their history, and what this person may do about them. */
export async function getDueDates(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
): Promise<DueDates> {
  const access = await getActionAccess(ctx, actor, reviewId, actionId);
  const history = await actionDueDateHistory(ctx.db, reviewId, actionId);
  const live = access.action.archived_at === null;
  return {
    access,
    position: dueDatePosition(access.action.due_date, history),
    history,
    canPropose: live && access.canEdit,
    canDecide: live && canCoordinate(actor, reviewId),
  };
}

/** The organisation a proposal is made for: the editor's own on the action, else the coordinator's. */
function actingOrganisation(actor: Actor, reviewId: number, organisationIds: readonly number[]): number | null {
  const mine = actor.memberships.filter((m) => m.reviewId === reviewId);
  const asEditor = mine.find((m) => m.role === 'editor' && organisationIds.includes(m.organisationId));
  return asEditor?.organisationId ?? mine.find((m) => m.role === 'coordinator')?.organisationId ?? null;
}

/** The action's due dates if this person may propose a revised one: 404 outside the review, 403 for others. */
export async function mayPropose(ctx: AppContext, actor: Actor, reviewId: number, actionId: number) {
  const dueDates = await getDueDates(ctx, actor, reviewId, actionId);
  if (!dueDates.canPropose) {
    throw new ForbiddenError(
      dueDates.access.action.archived_at === null
        ? 'You can propose a revised date only for the actions of your own organisations.'
        : 'This action is archived: a revised date cannot be proposed for it.',
    );
  }
  return dueDates;
}

/** The action's due dates if this person may agree or refuse a revised one: the coordinator only. */
export async function mayDecide(ctx: AppContext, actor: Actor, reviewId: number, actionId: number) {
  const dueDates = await getDueDates(ctx, actor, reviewId, actionId);
  if (!canCoordinate(actor, reviewId)) {
    throw new ForbiddenError('Only the plan coordinator can agree or refuse a revised due date.');
  }
  if (!dueDates.canDecide) {
    throw new ForbiddenError('This action is archived: restore it before deciding on its due date.');
  }
  return dueDates;
}

export interface DueDateProposal {
  proposalId: number;
  agreedDueDate: string | null;
  proposedDueDate: string;
}

/** Records a revised due date proposed for the action, waiting for the coordinator. */
export async function proposeDueDate(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  command: ProposeDueDateCommand,
): Promise<DueDateProposal> {
  const { access, position } = await mayPropose(ctx, actor, reviewId, actionId);
  const problem = proposalProblem(position.agreed, command.dueDate, command.reason);
  if (problem) throw FormInvalid.of('dueDate', problem);
  const time = ctx.now();
  const organisationId = actingOrganisation(actor, reviewId, access.organisationIds);
  const proposalId = await ctx.db.transaction().execute((trx) =>
    recordDueDateChange(
      trx,
      actor,
      {
        reviewId,
        actionId,
        kind: 'proposed',
        proposalId: null,
        fromDate: position.agreed,
        toDate: command.dueDate,
        reason: command.reason,
        userId: actor.userId,
        actorName: actor.name,
        organisationId,
      },
      { after: { agreedDueDate: position.agreed, proposedDueDate: command.dueDate, reason: command.reason } },
      time,
    ),
  );
  return { proposalId, agreedDueDate: position.agreed, proposedDueDate: command.dueDate };
}

export interface DueDateDecision {
  decisionId: number;
  decision: 'agreed' | 'refused';
  proposalId: number;
  /** The agreed due date after the decision. */
  agreedDueDate: string | null;
}

/**
 * A decision on a revised due date sent from elsewhere (a meeting's decisions), read with the
 * action's own decision form, if this person may decide and a revised date waits.
 */
export async function readDueDateDecision(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  body: Record<string, unknown>,
): Promise<{ access: ActionAccess; command: DecideDueDateCommand }> {
  const { access, position } = await mayDecide(ctx, actor, reviewId, actionId);
  const command = await parseForm(decideDueDateForm, body);
  if (!position.pending) {
    throw FormInvalid.of('decision', 'There is no revised due date waiting to be agreed or refused');
  }
  return { access, command };
}

/** The coordinator agrees the waiting revised date (the due date moves) or refuses it with a reason. */
export async function decideDueDate(
  ctx: AppContext,
  actor: Actor,
  reviewId: number,
  actionId: number,
  command: DecideDueDateCommand,
): Promise<DueDateDecision> {
  const { access, position } = await mayDecide(ctx, actor, reviewId, actionId);
  if (!position.pending) {
    throw FormInvalid.of('decision', 'There is no revised due date waiting to be agreed or refused');
  }
  return ctx.db.transaction().execute((trx: Trx) => writeDueDateDecision(ctx, trx, actor, access, command, null));
}

/**
 * The write behind decideDueDate, in the caller's transaction: the action's own due date form
 * (meetingId null) and a meeting's decisions (src/features/meetings) record a decision the same
 * way, with the same rules and the same audit event. The history is read again inside the
 * transaction. The caller has checked that this person may decide (mayDecide).
 */
export async function writeDueDateDecision(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  access: ActionAccess,
  command: DecideDueDateCommand,
  meetingId: number | null,
): Promise<DueDateDecision> {
  const reviewId = access.review.id;
  const actionId = access.action.id;
  const position = dueDatePosition(access.action.due_date, await actionDueDateHistory(trx, reviewId, actionId));
  const pending = position.pending;
  if (!pending) throw FormInvalid.of('decision', 'There is no revised due date waiting to be agreed or refused');
  const kind = command.decision === 'agree' ? 'agreed' : 'refused';
  const time = ctx.now();
  const now = time.toISOString();
  const organisationId =
    actor.memberships.find((m) => m.reviewId === reviewId && m.role === 'coordinator')?.organisationId ?? null;
  if (kind === 'agreed' && !(await moveAgreedDueDate(trx, actionId, position.agreed, pending.proposedDate, now))) {
    throw FormInvalid.of('decision', 'The due date changed while you were deciding: look at it again', 409);
  }
  const decisionId = await recordDueDateChange(
    trx,
    actor,
    {
      reviewId,
      actionId,
      kind,
      proposalId: pending.proposalId,
      fromDate: position.agreed,
      toDate: pending.proposedDate,
      reason: command.reason,
      userId: actor.userId,
      actorName: actor.name,
      organisationId,
      meetingId,
    },
    {
      before: { dueDate: position.agreed },
      after: {
        dueDate: kind === 'agreed' ? pending.proposedDate : position.agreed,
        proposedDueDate: pending.proposedDate,
        proposalId: pending.proposalId,
        reason: command.reason,
        // A decision taken at a meeting says so; one on the action's own form is unchanged.
        ...(meetingId === null ? {} : { meeting_id: meetingId }),
      },
    },
    time,
  );
  return {
    decisionId,
    decision: kind,
    proposalId: pending.proposalId,
    agreedDueDate: kind === 'agreed' ? pending.proposedDate : position.agreed,
  };
}

/**
 * A coordinator's direct change of an agreed due date through the action form, recorded as an
 * agreed change with its reason, inside the transaction that saves the action.
 */
export async function recordDirectDueDateChange(
  trx: Trx,
  actor: Actor,
  change: { reviewId: number; actionId: number; from: string; to: string | null; reason: string },
  now: string,
): Promise<void> {
  const organisationId =
    actor.memberships.find((m) => m.reviewId === change.reviewId && m.role === 'coordinator')?.organisationId ?? null;
  const id = await insertDueDateChange(
    trx,
    {
      reviewId: change.reviewId,
      actionId: change.actionId,
      kind: 'set',
      proposalId: null,
      fromDate: change.from,
      toDate: change.to,
      reason: change.reason,
      userId: actor.userId,
      actorName: actor.name,
      organisationId,
    },
    now,
  );
  await recordAudit(
    trx,
    {
      ...auditActor(actor),
      reviewId: change.reviewId,
      actionId: change.actionId,
      organisationId,
      entityType: 'due_date_change',
      entityId: id,
      action: 'set',
      before: { dueDate: change.from },
      after: { dueDate: change.to, reason: change.reason },
    },
    new Date(now),
  );
}

/** "31 March 2027", or "no due date". */
export function dueDateWords(date: string | null): string {
  return date ? formatLongDate(date) : 'no due date';
}

/** Writes one change to an action's due date and its audit event, in the caller's transaction. */
async function recordDueDateChange(
  trx: Trx,
  actor: Actor,
  change: NewDueDateChange,
  audit: { before?: Record<string, unknown>; after: Record<string, unknown> },
  time: Date,
): Promise<number> {
  const id = await insertDueDateChange(trx, change, time.toISOString());
  await recordAudit(
    trx,
    {
      ...auditActor(actor),
      reviewId: change.reviewId,
      actionId: change.actionId,
      organisationId: change.organisationId,
      entityType: 'due_date_change',
      entityId: id,
      action: change.kind,
      ...audit,
    },
    time,
  );
  return id;
}
