import type { Insertable } from 'kysely';
import type { SessionTable } from '../../platform/db/schema.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Membership } from '../../domain/permissions.ts';

/* Signing in and out: sessions and the use of API tokens. */

export async function insertSession(db: Db, session: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/**
 * The session with its user and the user's memberships, in one query (one round trip on
 * PostgreSQL for every request): one row per membership, or one row with null membership
 * columns for someone with no role yet.
 */
export async function findSessionWithMemberships(db: Db, id: string) {
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('memberships', 'memberships.user_id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.email',
      'users.name',
      'users.is_admin',
      'users.disabled_at',
      'memberships.review_id',
      'memberships.organisation_id',
      'memberships.role',
    ])
    .where('sessions.id', '=', id)
    .orderBy('memberships.id')
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const memberships: Membership[] = [];
  for (const r of rows) {
    if (r.review_id !== null && r.organisation_id !== null && r.role !== null) {
      memberships.push({ reviewId: r.review_id, organisationId: r.organisation_id, role: r.role });
    }
  }
  return { ...first, memberships };
}

export async function touchSession(db: Db, sessionId: string, lastSeenAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user, or every one but the session given (the one changing its password). */
export async function deleteSessionsOfUser(
  db: Db,
  userId: number,
  exceptSessionId: string | null = null,
): Promise<number> {
  let sessions = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSessionId) sessions = sessions.where('id', '!=', exceptSessionId);
  const result = await sessions.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The account's sessions still in date and active since the time given, most recently used first. */
export function listSessionsOf(db: Db, userId: number, nowIso: string, activeSinceIso: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso)
    .where('last_seen_at', '>=', activeSinceIso)
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Ends one of the account's own sessions; false when it has no such session. */
export async function deleteOwnSession(db: Db, userId: number, sessionId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function deleteSessionsExpiredBy(db: Db, nowIso: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', nowIso).execute();
}

/** The API token with this hash (revoked or not), with the account it belongs to. */
export function findApiTokenOwner(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name as token_name',
      'api_tokens.last_used_at',
      'api_tokens.last_used_ip',
      'api_tokens.revoked_at',
      'api_tokens.expires_at',
      'api_tokens.scopes',
      'users.id as user_id',
      'users.name',
      'users.email',
      'users.is_admin',
      'users.disabled_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: number, lastUsedAt: string, ip: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: lastUsedAt, last_used_ip: ip })
    .where('id', '=', tokenId)
    .execute();
}

/** The reviews a token is limited to; none means every review of its person. */
export async function listTokenReviewIds(db: Db, tokenId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('api_token_reviews')
    .select('review_id')
    .where('token_id', '=', tokenId)
    .orderBy('review_id')
    .execute();
  return rows.map((r) => r.review_id);
}

/** The changes to sessions, accounts and memberships recorded since the time given (by the database's clock). */
export function listSessionChangesSince(db: Db, sinceIso: string) {
  return db
    .selectFrom('session_changes')
    .select(['id', 'user_id', 'changed_at'])
    .where('changed_at', '>=', sinceIso)
    .orderBy('id')
    .execute();
}

/** When the latest change was recorded, by the database's clock; null when none is. */
export async function latestSessionChange(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('session_changes')
    .select((eb) => eb.fn.max('changed_at').as('latest'))
    .executeTakeFirst();
  return row?.latest ?? null;
}

export async function deleteSessionChangesBefore(db: Db, beforeIso: string): Promise<void> {
  await db.deleteFrom('session_changes').where('changed_at', '<', beforeIso).execute();
}
