import type { Trx } from '../../../platform/db/database.ts';
import type { DueDateChangeKind } from '../../../domain/due-dates.ts';

/* Writing an action's due date history, and moving its agreed due date. */

export interface NewDueDateChange {
  reviewId: number;
  actionId: number;
  kind: DueDateChangeKind;
  proposalId: number | null;
  fromDate: string | null;
  toDate: string | null;
  reason: string;
  userId: number | null;
  actorName: string;
  organisationId: number | null;
  /** The meeting that decided it; absent or null outside a meeting. */
  meetingId?: number | null;
}

export async function insertDueDateChange(trx: Trx, change: NewDueDateChange, now: string): Promise<number> {
  const row = await trx
    .insertInto('due_date_changes')
    .values({
      review_id: change.reviewId,
      action_id: change.actionId,
      kind: change.kind,
      proposal_id: change.proposalId,
      from_date: change.fromDate,
      to_date: change.toDate,
      reason: change.reason,
      user_id: change.userId,
      actor_name: change.actorName,
      organisation_id: change.organisationId,
      meeting_id: change.meetingId ?? null,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves the agreed due date if it is still `from`; false when it has changed meanwhile. */
export async function moveAgreedDueDate(
  trx: Trx,
  actionId: number,
  from: string | null,
  to: string,
  now: string,
): Promise<boolean> {
  let query = trx
    .updateTable('actions')
    .set((eb) => ({ due_date: to, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', actionId);
  query = from === null ? query.where('due_date', 'is', null) : query.where('due_date', '=', from);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
