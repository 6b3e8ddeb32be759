import type { Db, Trx } from '../../platform/db/database.ts';

/* Queries behind adding, changing, ordering, archiving and restoring actions.
   Functions take the database or the transaction first. */

/** The recommendation, by number, that an action is being added to; archived or not. */
export async function findRecommendationToAddTo(db: Db, reviewId: number, number: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'text', 'outcome', 'archived_at'])
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function findActionForEditing(db: Db, reviewId: number, actionId: number) {
  return db
    .selectFrom('actions as a')
    .innerJoin('recommendations as r', 'r.id', 'a.recommendation_id')
    .select([
      'a.id',
      'a.recommendation_id',
      'a.position',
      'a.agency_text',
      'a.action_text',
      'a.lead_text',
      'a.date_words',
      'a.due_date',
      'a.measure',
      'a.assurance',
      'a.sustain_how',
      'a.reassurance_due_on',
      'a.archived_at',
      'a.version',
      'r.number as recommendation_number',
      'r.text as recommendation_text',
      'r.outcome as recommendation_outcome',
      'r.archived_at as recommendation_archived_at',
    ])
    .where('a.review_id', '=', reviewId)
    .where('a.id', '=', actionId)
    .executeTakeFirst();
}

export async function listActionOrganisationIds(db: Db, actionId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('action_organisations')
    .select('organisation_id')
    .where('action_id', '=', actionId)
    .execute();
  return rows.map((r) => r.organisation_id).sort((a, b) => a - b);
}

export interface ActionValues {
  agency_text: string;
  action_text: string;
  lead_text: string;
  date_words: string;
  due_date: string | null;
  measure: string;
  assurance: string;
  sustain_how: string;
  reassurance_due_on: string | null;
}

export async function insertAction(
  trx: Trx,
  a: ActionValues & { reviewId: number; recommendationId: number; createdOn: string },
  now: string,
): Promise<{ id: number; position: number }> {
  const last = await trx
    .selectFrom('actions')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('recommendation_id', '=', a.recommendationId)
    .executeTakeFirst();
  const position = (last?.position ?? 0) + 1;
  const { reviewId, recommendationId, createdOn, ...values } = a;
  const row = await trx
    .insertInto('actions')
    .values({
      ...values,
      review_id: reviewId,
      recommendation_id: recommendationId,
      position,
      lead_user_id: null,
      created_on: createdOn,
      created_at: now,
      updated_at: now,
      archived_at: null,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, position };
}

export async function updateActionAtVersion(
  trx: Trx,
  id: number,
  version: number,
  a: ActionValues,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('actions')
    .set({ ...a, updated_at: now, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceActionOrganisations(
  trx: Trx,
  actionId: number,
  from: readonly number[],
  to: readonly number[],
  /** When the organisations added are given the action; those that stay keep their day. */
  assignedAt: string,
): Promise<void> {
  const gone = from.filter((id) => !to.includes(id));
  const added = to.filter((id) => !from.includes(id));
  if (gone.length)
    await trx
      .deleteFrom('action_organisations')
      .where('action_id', '=', actionId)
      .where('organisation_id', 'in', gone)
      .execute();
  if (added.length)
    await trx
      .insertInto('action_organisations')
      .values(added.map((id) => ({ action_id: actionId, organisation_id: id, assigned_at: assignedAt })))
      .execute();
}

/** The live actions of a recommendation in plan order. */
export async function listLiveActionOrder(db: Db, recommendationId: number) {
  return db
    .selectFrom('actions')
    .select(['id', 'position'])
    .where('recommendation_id', '=', recommendationId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function setActionPosition(trx: Trx, id: number, position: number): Promise<void> {
  await trx.updateTable('actions').set({ position }).where('id', '=', id).execute();
}

export async function setActionArchived(trx: Trx, id: number, archivedAt: string | null, now: string): Promise<void> {
  await trx.updateTable('actions').set({ archived_at: archivedAt, updated_at: now }).where('id', '=', id).execute();
}
