import type { Db } from '../../platform/db/database.ts';

export async function listFindings(db: Db, reviewId: number) {
  return db
    .selectFrom('findings')
    .select(['id', 'number', 'section', 'text', 'kind', 'public_health'])
    .where('review_id', '=', reviewId)
    .orderBy('position')
    .execute();
}

export async function listFindingLinks(db: Db, reviewId: number) {
  return db
    .selectFrom('finding_recommendations as fr')
    .innerJoin('recommendations as r', 'r.id', 'fr.recommendation_id')
    .select(['fr.finding_id', 'r.number', 'r.text', 'r.position'])
    .where('r.review_id', '=', reviewId)
    .where('r.archived_at', 'is', null)
    .orderBy('r.position')
    .execute();
}

export async function findFindingByNumber(db: Db, reviewId: number, number: string) {
  return db
    .selectFrom('findings')
    .select(['id', 'number', 'section', 'text', 'kind', 'public_health'])
    .where('review_id', '=', reviewId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export async function listRecommendationsOfFinding(db: Db, findingId: number) {
  return db
    .selectFrom('finding_recommendations as fr')
    .innerJoin('recommendations as r', 'r.id', 'fr.recommendation_id')
    .select(['r.number', 'r.text'])
    .where('fr.finding_id', '=', findingId)
    .where('r.archived_at', 'is', null)
    .orderBy('r.position')
    .execute();
}
