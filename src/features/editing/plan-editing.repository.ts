import type { Transaction } from 'kysely';
import type { Database, FindingKind } from '../../platform/db/schema.ts';
import type { Db } from './editing.repository.ts';

/* Queries behind editing recommendations and findings. */

/* Recommendations */

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

export async function listLiveRecommendations(db: Db, reviewId: number) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'text'])
    .where('review_id', '=', reviewId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .execute();
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

export async function insertRecommendation(
  trx: Transaction<Database>,
  reviewId: number,
  r: RecommendationValues,
): Promise<number> {
  const row = await trx
    .insertInto('recommendations')
    .values({ ...r, review_id: reviewId, position: 0, archived_at: null, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRecommendationAtVersion(
  trx: Transaction<Database>,
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

export async function setRecommendationArchived(
  trx: Transaction<Database>,
  id: number,
  archivedAt: string | null,
): Promise<void> {
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

export async function setRecommendationPosition(
  trx: Transaction<Database>,
  id: number,
  position: number,
): Promise<void> {
  await trx.updateTable('recommendations').set({ position }).where('id', '=', id).execute();
}

/* Findings */

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

export async function insertFinding(trx: Transaction<Database>, reviewId: number, f: FindingValues): Promise<number> {
  const row = await trx
    .insertInto('findings')
    .values({ ...f, review_id: reviewId, position: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateFindingAtVersion(
  trx: Transaction<Database>,
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
  trx: Transaction<Database>,
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

export async function setFindingPosition(trx: Transaction<Database>, id: number, position: number): Promise<void> {
  await trx.updateTable('findings').set({ position }).where('id', '=', id).execute();
}
