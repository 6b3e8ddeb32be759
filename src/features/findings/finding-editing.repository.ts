import type { FindingKind } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';

/* Queries behind adding and changing findings. Functions take the database or the transaction first. */

export async function findFinding(db: Db, reviewId: number, number: string) {
  return db
    .selectFrom('findings')
    .select(['id', 'number', 'section', 'text', 'kind', 'public_health', 'version'])
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
}

export async function findFindingById(db: Db, reviewId: number, findingId: number) {
  return db
    .selectFrom('findings')
    .select(['id', 'number', 'section', 'text', 'kind', 'public_health', 'version'])
    .where('review_id', '=', reviewId)
    .where('id', '=', findingId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
}

export async function findingNumberTaken(db: Db, reviewId: number, number: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('findings')
    .select('id')
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.id;
}

/** The finding's links to recommendations, with whether each is archived. */
export async function listFindingLinks(db: Db, findingId: number) {
  return db
    .selectFrom('finding_recommendations as fr')
    .innerJoin('recommendations as r', 'r.id', 'fr.recommendation_id')
    .select(['r.id', 'r.archived_at'])
    .where('fr.finding_id', '=', findingId)
    .execute();
}

export interface FindingValues {
  number: string;
  section: string;
  text: string;
  kind: FindingKind;
  public_health: number;
}

export async function insertFinding(trx: Trx, reviewId: number, f: FindingValues): Promise<number> {
  const row = await trx
    .insertInto('findings')
    .values({ ...f, review_id: reviewId, position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateFindingAtVersion(
  trx: Trx,
  id: number,
  version: number,
  f: FindingValues,
): Promise<boolean> {
  const result = await trx
    .updateTable('findings')
    .set({ ...f, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceFindingLinks(
  trx: Trx,
  findingId: number,
  from: readonly number[],
  to: readonly number[],
): Promise<void> {
  const gone = from.filter((id) => !to.includes(id));
  const added = to.filter((id) => !from.includes(id));
  if (gone.length)
    await trx
      .deleteFrom('finding_recommendations')
      .where('finding_id', '=', findingId)
      .where('recommendation_id', 'in', gone)
      .execute();
  if (added.length)
    await trx
      .insertInto('finding_recommendations')
      .values(added.map((id) => ({ finding_id: findingId, recommendation_id: id })))
      .execute();
}

export async function listFindingPositions(db: Db, reviewId: number) {
  return db.selectFrom('findings').select(['id', 'number', 'position']).where('review_id', '=', reviewId).execute();
}

export async function setFindingPosition(trx: Trx, id: number, position: number): Promise<void> {
  await trx.updateTable('findings').set({ position }).where('id', '=', id).execute();
}

/* The recommendations a finding may be linked to */

export async function listLiveRecommendations(db: Db, reviewId: number) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'text'])
    .where('review_id', '=', reviewId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .execute();
}
