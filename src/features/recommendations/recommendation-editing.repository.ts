import type { Db, Trx } from '../../platform/db/database.ts';

/* Queries behind adding, changing, archiving and restoring recommendations.
   Functions take the database or the transaction first. */

const recommendationColumns = [
  'id',
  'review_id',
  'group_id',
  'number',
  'text',
  'outcome',
  'anticipated_evidence',
  'assurance',
  'responsible_officer',
  'archived_at',
  'version',
] as const;

/** A recommendation by number, archived or not. */
export async function findRecommendation(db: Db, reviewId: number, number: string) {
  return db
    .selectFrom('recommendations')
    .select(recommendationColumns)
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function findRecommendationById(db: Db, recommendationId: number) {
  return db
    .selectFrom('recommendations')
    .select(recommendationColumns)
    .where('id', '=', recommendationId)
    .executeTakeFirst();
}

export interface RecommendationValues {
  group_id: number;
  number: string;
  text: string;
  outcome: string;
  anticipated_evidence: string;
  assurance: string;
  responsible_officer: string;
}

export async function insertRecommendation(trx: Trx, reviewId: number, r: RecommendationValues): Promise<number> {
  const row = await trx
    .insertInto('recommendations')
    .values({ ...r, review_id: reviewId, position: 0, archived_at: null, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRecommendationAtVersion(
  trx: Trx,
  id: number,
  version: number,
  r: RecommendationValues,
): Promise<boolean> {
  const result = await trx
    .updateTable('recommendations')
    .set({ ...r, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setRecommendationArchived(trx: Trx, id: number, archivedAt: string | null): Promise<void> {
  await trx.updateTable('recommendations').set({ archived_at: archivedAt }).where('id', '=', id).execute();
}

/** Numbers and positions of every recommendation of the review, to keep them in number order. */
export async function listRecommendationPositions(db: Db, reviewId: number) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'position'])
    .where('review_id', '=', reviewId)
    .execute();
}

export async function setRecommendationPosition(trx: Trx, id: number, position: number): Promise<void> {
  await trx.updateTable('recommendations').set({ position }).where('id', '=', id).execute();
}

/* The recommendation groups a recommendation is placed in */

export async function listGroups(db: Db, reviewId: number) {
  return db
    .selectFrom('recommendation_groups')
    .select(['id', 'number', 'heading', 'version'])
    .where('review_id', '=', reviewId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('number')
    .execute();
}

/* The actions archived and restored with their recommendation */

/** Actions of a recommendation that are live, or were archived at exactly the given instant. */
export async function listActionsArchivedAt(db: Db, recommendationId: number, archivedAt: string | null) {
  return db
    .selectFrom('actions')
    .select(['id', 'archived_at'])
    .where('recommendation_id', '=', recommendationId)
    .where((eb) => (archivedAt === null ? eb('archived_at', 'is', null) : eb('archived_at', '=', archivedAt)))
    .orderBy('position')
    .execute();
}

/** Archives (at `archivedAt`) or restores (null) one action with its recommendation. */
export async function setActionArchived(trx: Trx, id: number, archivedAt: string | null, now: string): Promise<void> {
  await trx.updateTable('actions').set({ archived_at: archivedAt, updated_at: now }).where('id', '=', id).execute();
}
