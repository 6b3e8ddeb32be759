import type { Db, Trx } from '../../../platform/db/database.ts';

/* The organisations given an action, and their answers (append-only: the latest counts). */

/** Each organisation of an action, with when it was given the action, by name. */
export async function listAssignedOrganisations(db: Db, actionId: number) {
  return db
    .selectFrom('action_organisations as ao')
    .innerJoin('organisations as o', 'o.id', 'ao.organisation_id')
    .select(['o.id', 'o.name', 'o.short_name', 'ao.assigned_at'])
    .where('ao.action_id', '=', actionId)
    .orderBy('o.name')
    .execute();
}

/** Every answer to an action's assignments, oldest first. */
export async function listAnswers(db: Db, actionId: number) {
  return db
    .selectFrom('assignment_responses')
    .select(['id', 'organisation_id', 'response', 'reason', 'user_id', 'actor_name', 'is_illustrative', 'created_at'])
    .where('action_id', '=', actionId)
    .orderBy('id')
    .execute();
}

export async function insertAnswer(
  trx: Trx,
  row: {
    reviewId: number;
    actionId: number;
    organisationId: number;
    response: 'accepted' | 'disputed';
    reason: string;
    userId: number | null;
    actorName: string;
  },
  now: string,
): Promise<number> {
  const { id } = await trx
    .insertInto('assignment_responses')
    .values({
      review_id: row.reviewId,
      action_id: row.actionId,
      organisation_id: row.organisationId,
      response: row.response,
      reason: row.reason,
      user_id: row.userId,
      actor_name: row.actorName,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
