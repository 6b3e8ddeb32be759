import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ApiTokenTable, OneTimeTokenTable, UserTable } from '../../platform/db/schema.ts';
import type { Membership } from '../../domain/permissions.ts';

export function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUserById(db: Db, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listMemberships(db: Db, userId: number): Promise<Membership[]> {
  const rows = await db
    .selectFrom('memberships')
    .select(['review_id', 'organisation_id', 'role'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ reviewId: r.review_id, organisationId: r.organisation_id, role: r.role }));
}

/** Earlier invitations stop working when a new one is sent: only the newest link sets the password. */
export async function spendUnusedInvites(db: Db, userId: number, nowIso: string): Promise<void> {
  await db
    .updateTable('one_time_tokens')
    .set({ used_at: nowIso })
    .where('user_id', '=', userId)
    .where('purpose', '=', 'invite')
    .where('used_at', 'is', null)
    .execute();
}

export async function insertUser(db: Db, user: Omit<Insertable<UserTable>, 'id' | 'version'>): Promise<number> {
  const { id } = await db.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function insertOneTimeToken(db: Db, token: Insertable<OneTimeTokenTable>): Promise<void> {
  await db.insertInto('one_time_tokens').values(token).execute();
}

/** Every set-password link of the account not yet used stops working; returns how many did. */
export async function spendUnusedLinks(db: Db, userId: number, nowIso: string): Promise<number> {
  const result = await db
    .updateTable('one_time_tokens')
    .set({ used_at: nowIso })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes every API token of the account still working; returns how many were. */
export async function revokeApiTokensOf(db: Db, userId: number, revokedAt: string): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: revokedAt })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The single-use link with this hash and its account, used or not. */
export function findTokenWithUser(db: Db, tokenHash: string) {
  return db
    .selectFrom('one_time_tokens')
    .innerJoin('users', 'users.id', 'one_time_tokens.user_id')
    .select([
      'one_time_tokens.token_hash',
      'one_time_tokens.purpose',
      'one_time_tokens.expires_at',
      'one_time_tokens.used_at',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.disabled_at',
    ])
    .where('one_time_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Spends a single-use link if it is unused: checked and spent in one statement, so two tabs
 * cannot both use one link. False when it was spent already.
 */
export async function spendToken(db: Db, tokenHash: string, usedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('one_time_tokens')
    .set({ used_at: usedAt })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertApiToken(db: Db, token: Omit<Insertable<ApiTokenTable>, 'id'>): Promise<number> {
  const { id } = await db.insertInto('api_tokens').values(token).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** Revokes one of the account's own tokens; false when it has no such token still working. */
export async function revokeOwnApiToken(db: Db, userId: number, tokenId: number, revokedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: revokedAt })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The account's roles, with the review and organisation each is in. */
export function listRolesOf(db: Db, userId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('reviews', 'reviews.id', 'memberships.review_id')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select(['memberships.role', 'reviews.id as review_id', 'reviews.area', 'organisations.name as organisation'])
    .where('memberships.user_id', '=', userId)
    .orderBy('reviews.area')
    .orderBy('memberships.role')
    .execute();
}

/** The account's API tokens not revoked (expired ones too), newest first. */
export function listApiTokensOf(db: Db, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'last_used_ip', 'scopes', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
}

/** The reviews each of these tokens is limited to, with their names. */
export function listReviewsOfTokens(db: Db, tokenIds: readonly number[]) {
  if (tokenIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('api_token_reviews')
    .innerJoin('reviews', 'reviews.id', 'api_token_reviews.review_id')
    .select(['api_token_reviews.token_id', 'reviews.id as review_id', 'reviews.area'])
    .where('api_token_reviews.token_id', 'in', [...tokenIds])
    .orderBy('reviews.area')
    .execute();
}

export async function insertTokenReviews(db: Db, tokenId: number, reviewIds: readonly number[]): Promise<void> {
  if (reviewIds.length === 0) return;
  await db
    .insertInto('api_token_reviews')
    .values(reviewIds.map((reviewId) => ({ token_id: tokenId, review_id: reviewId })))
    .execute();
}
