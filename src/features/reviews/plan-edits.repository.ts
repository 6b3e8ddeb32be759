import type { Db } from '../../platform/db/database.ts';

/* Queries every edit of a review's plan shares: the organisations a form offers, and the audit trail
   that explains a stale edit. Functions take the database or the transaction first. */

export interface OrganisationOption {
  id: number;
  name: string;
  short_name: string;
}

export async function listReviewOrganisations(db: Db, reviewId: number): Promise<OrganisationOption[]> {
  return db
    .selectFrom('review_organisations as ro')
    .innerJoin('organisations as o', 'o.id', 'ro.organisation_id')
    .select(['o.id', 'o.name', 'o.short_name'])
    .where('ro.review_id', '=', reviewId)
    .orderBy('o.name')
    .execute();
}

export async function listOrganisationsById(db: Db, ids: readonly number[]): Promise<OrganisationOption[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'short_name'])
    .where('id', 'in', [...ids])
    .orderBy('name')
    .execute();
}

/** The audit events of one row, oldest first: they rebuild what a stale form was opened on. */
export async function listAuditTrail(db: Db, entityType: string, entityId: number) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'at', 'actor', 'action', 'before', 'after'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('id')
    .execute();
}
