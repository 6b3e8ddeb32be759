import type { MemberRole, OrganisationKind } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';

export interface OrganisationInReview {
  id: number;
  name: string;
  short_name: string;
  kind: OrganisationKind;
  covered: boolean;
  addressed: boolean;
  hasActions: boolean;
}

/** Exists answers true/false on PostgreSQL and 1/0 on SQLite. */
function truthy(value: unknown): boolean {
  return value === true || Number(value) === 1;
}

/**
 * The organisation and the parts it takes in the review: covered, addressed by a group, named on an
 * action (archived ones too).
 */
export async function findOrganisationInReview(
  db: Db,
  reviewId: number,
  organisationId: number,
): Promise<OrganisationInReview | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .select((eb) => [
      'o.id',
      'o.name',
      'o.short_name',
      'o.kind',
      eb
        .exists(
          eb
            .selectFrom('review_organisations as ro')
            .select('ro.review_id')
            .where('ro.review_id', '=', reviewId)
            .whereRef('ro.organisation_id', '=', 'o.id'),
        )
        .as('covered'),
      eb
        .exists(
          eb
            .selectFrom('recommendation_group_organisations as go')
            .innerJoin('recommendation_groups as g', 'g.id', 'go.group_id')
            .select('go.group_id')
            .where('g.review_id', '=', reviewId)
            .whereRef('go.organisation_id', '=', 'o.id'),
        )
        .as('addressed'),
      eb
        .exists(
          eb
            .selectFrom('action_organisations as ao')
            .innerJoin('actions as a', 'a.id', 'ao.action_id')
            .select('ao.action_id')
            .where('a.review_id', '=', reviewId)
            .whereRef('ao.organisation_id', '=', 'o.id'),
        )
        .as('has_actions'),
    ])
    .where('o.id', '=', organisationId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    short_name: row.short_name,
    kind: row.kind,
    covered: truthy(row.covered),
    addressed: truthy(row.addressed),
    hasActions: truthy(row.has_actions),
  };
}

/** The words of the organisation's live actions in the review (the analysed plan carries everything else). */
export async function listOrganisationActionTexts(
  db: Db,
  reviewId: number,
  organisationId: number,
): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('actions as a')
    .innerJoin('action_organisations as ao', 'ao.action_id', 'a.id')
    .select(['a.id', 'a.action_text'])
    .where('ao.organisation_id', '=', organisationId)
    .where('a.review_id', '=', reviewId)
    .where('a.archived_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.action_text]));
}

export interface OrganisationPersonRow {
  name: string;
  email: string;
  role: MemberRole;
}

/** People with roles for the organisation in the review; accounts that are switched off are left out. */
export async function listOrganisationPeople(
  db: Db,
  reviewId: number,
  organisationId: number,
): Promise<OrganisationPersonRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.name', 'u.email', 'm.role'])
    .where('m.review_id', '=', reviewId)
    .where('m.organisation_id', '=', organisationId)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.name')
    .orderBy('m.role')
    .execute();
}
