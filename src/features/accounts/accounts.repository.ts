import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { Membership } from '../../domain/permissions.ts';

type Db = Kysely<Database>;

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

export async function countRecentFailures(db: Db, key: string, sinceIso: string): Promise<number> {
  const row = await db
    .selectFrom('sign_in_failures')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('key', '=', key)
    .where('at', '>=', sinceIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Earlier invitations stop working when a new one is sent: only the newest link sets the password. */
export async function spendUnusedInvites(db: Kysely<Database>, userId: number, nowIso: string): Promise<void> {
  await db
    .updateTable('one_time_tokens')
    .set({ used_at: nowIso })
    .where('user_id', '=', userId)
    .where('purpose', '=', 'invite')
    .where('used_at', 'is', null)
    .execute();
}
