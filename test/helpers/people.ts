import type { MemberRole } from '../../src/platform/db/schema.ts';
import type { Db } from '../../src/platform/db/database.ts';
import { hashPassword, newToken, tokenHash } from '../../src/platform/auth/secrets.ts';
import { SESSION_COOKIE } from '../../src/platform/auth/plugin.ts';

/* People for tests: accounts, memberships and sessions made directly, so each test signs in
   as exactly the person it talks about. The sign-in form itself is tested on its own. */

let sequence = 0;

export async function createUser(
  db: Db,
  u: { email?: string; name?: string; isAdmin?: boolean; password?: string; disabled?: boolean } = {},
): Promise<number> {
  const n = ++sequence;
  const { id } = await db
    .insertInto('users')
    .values({
      email: (u.email ?? `person${n}.${Date.now()}@example.nhs.uk`).toLowerCase(),
      name: u.name ?? `Test Person ${n}`,
      password_hash: u.password ? await hashPassword(u.password) : null,
      is_admin: u.isAdmin ? 1 : 0,
      created_at: new Date().toISOString(),
      disabled_at: u.disabled ? new Date().toISOString() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function addMember(
  db: Db,
  m: { userId: number; reviewId: number; organisationId: number; role: MemberRole },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({
      user_id: m.userId,
      review_id: m.reviewId,
      organisation_id: m.organisationId,
      role: m.role,
      created_at: new Date().toISOString(),
    })
    .execute();
}

export interface TestSession {
  userId: number;
  /** The Cookie header value. */
  cookie: string;
  csrf: string;
}

/** A signed-in session for the user, as the sign-in form would have made it. */
export async function sessionFor(db: Db, userId: number): Promise<TestSession> {
  const token = newToken();
  const csrf = newToken();
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      id: tokenHash(token),
      user_id: userId,
      csrf_token: csrf,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + 3_600_000).toISOString(),
      ip: '127.0.0.1',
      user_agent: 'test',
    })
    .execute();
  return { userId, cookie: `${SESSION_COOKIE}=${token}`, csrf };
}

/** A member of the review with one role for one organisation, signed in. */
export async function signedInMember(
  db: Db,
  m: { reviewId: number; organisationId: number; role: MemberRole; name?: string },
): Promise<TestSession> {
  const userId = await createUser(db, { name: m.name });
  await addMember(db, { userId, reviewId: m.reviewId, organisationId: m.organisationId, role: m.role });
  return sessionFor(db, userId);
}
