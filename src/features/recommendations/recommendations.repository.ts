import type { Db } from '../../platform/db/database.ts';

export async function findRecommendationByNumber(db: Db, reviewId: number, number: string) {
  return db
    .selectFrom('recommendations as r')
    .innerJoin('recommendation_groups as g', 'g.id', 'r.group_id')
    .select([
      'r.id',
      'r.number',
      'r.text',
      'r.outcome',
      'r.anticipated_evidence',
      'r.assurance',
      'r.responsible_officer',
      'r.group_id',
      'r.archived_at',
      'g.number as group_number',
      'g.heading as group_heading',
    ])
    .where('r.review_id', '=', reviewId)
    .where('r.number', '=', number)
    .executeTakeFirst();
}

export async function listGroupOrganisations(db: Db, groupId: number) {
  return db
    .selectFrom('recommendation_group_organisations as go')
    .innerJoin('organisations as o', 'o.id', 'go.organisation_id')
    .select(['o.id', 'o.name', 'o.short_name'])
    .where('go.group_id', '=', groupId)
    .orderBy('o.name')
    .execute();
}

export async function listFindingsOfRecommendation(db: Db, recommendationId: number) {
  return db
    .selectFrom('finding_recommendations as fr')
    .innerJoin('findings as f', 'f.id', 'fr.finding_id')
    .select(['f.id', 'f.number', 'f.section', 'f.text', 'f.kind', 'f.public_health', 'f.position'])
    .where('fr.recommendation_id', '=', recommendationId)
    .orderBy('f.position')
    .execute();
}

export async function listActionsOfRecommendation(db: Db, recommendationId: number) {
  return db
    .selectFrom('actions')
    .select(['id', 'position', 'agency_text', 'action_text', 'lead_text', 'date_words', 'due_date', 'measure'])
    .where('recommendation_id', '=', recommendationId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .execute();
}
