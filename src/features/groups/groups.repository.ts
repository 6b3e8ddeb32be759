import type { Db, Trx } from '../../platform/db/database.ts';

/* Queries behind adding and changing recommendation groups. Functions take the database or the transaction first. */

export async function findGroup(db: Db, reviewId: number, groupId: number) {
  return db
    .selectFrom('recommendation_groups')
    .select(['id', 'number', 'heading', 'version'])
    .where('review_id', '=', reviewId)
    .where('id', '=', groupId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
}

export async function findGroupIdByNumber(db: Db, reviewId: number, number: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('recommendation_groups')
    .select('id')
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.id;
}

export async function listGroupOrganisationIds(db: Db, groupId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('recommendation_group_organisations')
    .select('organisation_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.organisation_id).sort((a, b) => a - b);
}

export async function insertGroup(trx: Trx, reviewId: number, g: { number: number; heading: string }): Promise<number> {
  // Groups are listed in number order: the position follows the number.
  const row = await trx
    .insertInto('recommendation_groups')
    .values({ review_id: reviewId, number: g.number, heading: g.heading, position: g.number })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateGroupAtVersion(
  trx: Trx,
  groupId: number,
  version: number,
  g: { number: number; heading: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('recommendation_groups')
    .set({ number: g.number, heading: g.heading, position: g.number, version: version + 1 })
    .where('id', '=', groupId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceGroupOrganisations(
  trx: Trx,
  groupId: number,
  from: readonly number[],
  to: readonly number[],
): Promise<void> {
  const gone = from.filter((id) => !to.includes(id));
  const added = to.filter((id) => !from.includes(id));
  if (gone.length)
    await trx
      .deleteFrom('recommendation_group_organisations')
      .where('group_id', '=', groupId)
      .where('organisation_id', 'in', gone)
      .execute();
  if (added.length)
    await trx
      .insertInto('recommendation_group_organisations')
      .values(added.map((id) => ({ group_id: groupId, organisation_id: id })))
      .execute();
}
