import type { MemberRole } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';

export interface MemberRow {
  id: number;
  user_id: number;
  name: string;
  email: string;
  disabled_at: string | null;
  organisation_id: number;
  organisation: string;
  role: MemberRole;
}

/** Everyone with a role in the review: one row per person, organisation and role. */
export function listMembers(db: Db, reviewId: number): Promise<MemberRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'm.id',
      'm.user_id',
      'u.name',
      'u.email',
      'u.disabled_at',
      'm.organisation_id',
      'o.name as organisation',
      'm.role',
    ])
    .where('m.review_id', '=', reviewId)
    .orderBy('u.name')
    .orderBy('o.name')
    .orderBy('m.role')
    .execute();
}

export interface OrganisationChoice {
  id: number;
  name: string;
  short_name: string;
}

/**
 * The organisations a person can act for in the review: those taking part in it — its lead,
 * those it covers, those a recommendation group addresses, and those named on its actions
 * (a council whose board reads the plan takes part through its actions).
 */
export function listOrganisationChoices(
  db: Db,
  reviewId: number,
  leadOrganisationId: number | null,
): Promise<OrganisationChoice[]> {
  return db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name', 'o.short_name'])
    .where((eb) =>
      eb.or([
        eb('o.id', '=', leadOrganisationId ?? -1),
        eb.exists(
          eb
            .selectFrom('review_organisations as ro')
            .select('ro.review_id')
            .where('ro.review_id', '=', reviewId)
            .whereRef('ro.organisation_id', '=', 'o.id'),
        ),
        eb.exists(
          eb
            .selectFrom('recommendation_group_organisations as go')
            .innerJoin('recommendation_groups as g', 'g.id', 'go.group_id')
            .select('go.group_id')
            .where('g.review_id', '=', reviewId)
            .whereRef('go.organisation_id', '=', 'o.id'),
        ),
        eb.exists(
          eb
            .selectFrom('action_organisations as ao')
            .innerJoin('actions as a', 'a.id', 'ao.action_id')
            .select('ao.action_id')
            .where('a.review_id', '=', reviewId)
            .whereRef('ao.organisation_id', '=', 'o.id'),
        ),
      ]),
    )
    .orderBy('o.name')
    .execute();
}

export function findMembership(
  db: Db,
  m: { userId: number; reviewId: number; organisationId: number; role: MemberRole },
) {
  return db
    .selectFrom('memberships')
    .select('id')
    .where('user_id', '=', m.userId)
    .where('review_id', '=', m.reviewId)
    .where('organisation_id', '=', m.organisationId)
    .where('role', '=', m.role)
    .executeTakeFirst();
}

export async function insertMembership(
  db: Db,
  m: { userId: number; reviewId: number; organisationId: number; role: MemberRole },
  nowIso: string,
): Promise<number> {
  const { id } = await db
    .insertInto('memberships')
    .values({
      user_id: m.userId,
      review_id: m.reviewId,
      organisation_id: m.organisationId,
      role: m.role,
      created_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function countCoordinators(db: Db, reviewId: number): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('review_id', '=', reviewId)
    .where('role', '=', 'coordinator')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function deleteMembership(db: Db, reviewId: number, membershipId: number): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('id', '=', membershipId)
    .where('review_id', '=', reviewId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
