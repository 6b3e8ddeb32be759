import type { MemberRole, OrganisationKind } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';

export interface UserListRow {
  id: number;
  name: string;
  email: string;
  is_admin: number;
  disabled_at: string | null;
  has_password: boolean;
  last_signed_in: string | null;
  /** Whether two-step verification is on, and whether an administrator requires it. */
  second_factor_on: boolean;
  second_factor_required: boolean;
}

/** Every account (or just one) with when it last signed in (from the audit trail, which keeps every sign-in). */
export async function listUsers(db: Db, onlyUserId?: number): Promise<UserListRow[]> {
  let users = db
    .selectFrom('users')
    .select([
      'id',
      'name',
      'email',
      'is_admin',
      'disabled_at',
      'password_hash',
      'totp_enabled_at',
      'second_factor_required',
    ])
    .orderBy('name')
    .orderBy('email');
  let signIns = db
    .selectFrom('audit_events')
    .select((eb) => ['entity_id', eb.fn.max('at').as('last')])
    .where('entity_type', '=', 'user')
    .where('action', '=', 'signed in')
    .groupBy('entity_id');
  if (onlyUserId !== undefined) {
    users = users.where('id', '=', onlyUserId);
    signIns = signIns.where('entity_id', '=', String(onlyUserId));
  }
  const [userRows, signInRows] = await Promise.all([users.execute(), signIns.execute()]);
  const last = new Map(signInRows.map((s) => [s.entity_id, s.last as string | null]));
  return userRows.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    is_admin: u.is_admin,
    disabled_at: u.disabled_at,
    has_password: u.password_hash !== null,
    last_signed_in: last.get(String(u.id)) ?? null,
    second_factor_on: u.totp_enabled_at !== null,
    second_factor_required: u.second_factor_required === 1,
  }));
}

export function findUserForAdmin(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'name',
      'email',
      'is_admin',
      'disabled_at',
      'password_hash',
      'totp_enabled_at',
      'second_factor_required',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export interface UserMembershipRow {
  review_id: number;
  area: string;
  organisation: string;
  role: MemberRole;
}

/** The person's roles in every review, for their page under administration. */
export function listUserMemberships(db: Db, userId: number): Promise<UserMembershipRow[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('reviews as r', 'r.id', 'm.review_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.review_id', 'r.area', 'o.name as organisation', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('r.area')
    .orderBy('o.name')
    .orderBy('m.role')
    .execute();
}

export async function setUserAccess(
  db: Db,
  userId: number,
  change: { is_admin?: number; disabled_at?: string | null },
): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ ...change, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .execute();
}

export interface OrganisationAdminRow {
  id: number;
  name: string;
  short_name: string;
  kind: OrganisationKind;
  version: number;
}

export function listOrganisations(db: Db): Promise<OrganisationAdminRow[]> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'short_name', 'kind', 'version'])
    .orderBy('name')
    .execute();
}

export function findOrganisationForAdmin(db: Db, organisationId: number): Promise<OrganisationAdminRow | undefined> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'short_name', 'kind', 'version'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
}

/** Another organisation with this name, compared without case. */
export function findOrganisationNamed(db: Db, name: string, exceptId: number | null) {
  let query = db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()));
  if (exceptId !== null) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

export interface OrganisationValues {
  name: string;
  short_name: string;
  kind: OrganisationKind;
}

export async function insertOrganisation(db: Db, values: OrganisationValues, nowIso: string): Promise<number> {
  const { id } = await db
    .insertInto('organisations')
    .values({ ...values, created_at: nowIso })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Writes the organisation only if it is still at the version the form was opened on; false if not. */
export async function updateOrganisationAtVersion(
  db: Db,
  organisationId: number,
  version: number,
  values: OrganisationValues,
): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set({ ...values, version: version + 1 })
    .where('id', '=', organisationId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The most recent audit event about an organisation: who changed it last, and when. */
export function findLatestOrganisationEvent(db: Db, organisationId: number) {
  return db
    .selectFrom('audit_events')
    .select(['actor', 'at', 'action'])
    .where('entity_type', '=', 'organisation')
    .where('entity_id', '=', String(organisationId))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
