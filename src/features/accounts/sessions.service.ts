import type { Db } from '../../platform/db/database.ts';
import { broadestScope, type Actor } from '../../domain/permissions.ts';
import { recordAudit } from '../../platform/audit.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { newToken, normaliseEmail, tokenHash, verifyPassword } from '../../platform/auth/secrets.ts';
import { findUserByEmail, listMemberships } from './accounts.repository.ts';
import type { SessionCache } from '../../platform/auth/session-cache.ts';
import {
  deleteOwnSession,
  deleteSessionChangesBefore,
  deleteSession,
  deleteSessionsExpiredBy,
  deleteSessionsOfUser,
  findApiTokenOwner,
  findSessionWithMemberships,
  insertSession,
  listSessionChangesSince,
  listTokenReviewIds,
  listSessionsOf,
  touchApiToken,
  touchSession,
} from './sessions.repository.ts';
import { clearAttempts, deleteThrottlesBefore, releaseAttempt } from './throttles.repository.ts';
import { reserveAttempts } from './throttling.ts';
import { secondStepNeeded, startChallenge } from './second-factor.service.ts';
import { deleteChallengesExpiredBy } from './second-factor.repository.ts';
import type { SignInCommand } from './sign-in.forms.ts';

export interface SessionSettings {
  idleMinutes: number;
  maxHours: number;
}

export interface ResolvedSession {
  sessionId: string;
  csrfToken: string;
  actor: Actor;
}

/** Failed sign-ins allowed in the window, per email address tried and per client address. */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perAccount: 5, perAddress: 20 } as const;

/** A session started: the cookie's value, and whose it is. */
export interface SignedIn {
  token: string;
  userId: number;
}

/**
 * What a right password leads to: a session, or (for an account with two-step verification on
 * or required) a challenge whose cookie takes the person to the code, or to setting it up.
 */
export type SignInOutcome =
  ({ kind: 'signed in' } & SignedIn) | { kind: 'second step'; purpose: 'code' | 'set-up'; challenge: string };

/** The one answer to a wrong password, an unknown email and a disabled account alike. */
export const SIGN_IN_REFUSED = 'Enter a correct email address and password';

export const SIGN_IN_THROTTLED =
  `Too many attempts to sign in. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again, ` +
  'or reset your password';

const minutes = (n: number) => n * 60_000;

/**
 * Checks an email and password and starts a session. The same refusal (against the email
 * field) comes back for an unknown email, a wrong password and a disabled account, so nobody
 * can learn who has an account.
 */
export async function signIn(
  db: Db,
  settings: SessionSettings,
  input: Pick<SignInCommand, 'email' | 'password' | 'next'> & {
    ip: string;
    userAgent: string | null;
    requestId: string;
  },
  now: Date,
): Promise<SignInOutcome> {
  const email = normaliseEmail(input.email);
  const addressKey = `ip:${input.ip}`;
  const accountKey = `email:${email}`;
  // Reserved before the password is checked, so requests sent together cannot all be checked.
  const allowed = await reserveAttempts(
    db,
    [
      { key: addressKey, limit: SIGN_IN_LIMITS.perAddress, windowMinutes: SIGN_IN_LIMITS.windowMinutes },
      { key: accountKey, limit: SIGN_IN_LIMITS.perAccount, windowMinutes: SIGN_IN_LIMITS.windowMinutes },
    ],
    now,
  );
  const seen = { email, ip: input.ip, userAgent: input.userAgent, requestId: input.requestId };
  if (!allowed) {
    await recordSecurityEvent(db, { ...seen, kind: 'sign-in throttled' }, now);
    throw FormInvalid.of('email', SIGN_IN_THROTTLED);
  }

  const user = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  // A failure keeps its reserved attempts: that is what counts it.
  if (!user || !passwordOk || user.disabled_at) {
    const why = !user ? 'no such account' : user.disabled_at ? 'account disabled' : 'wrong password';
    await recordSecurityEvent(db, { ...seen, kind: 'sign-in failed', userId: user?.id ?? null, detail: { why } }, now);
    throw FormInvalid.of('email', SIGN_IN_REFUSED);
  }

  // Only failures count: the account's are forgotten, and this attempt is given back to the address.
  await clearAttempts(db, accountKey);
  await releaseAttempt(db, addressKey);
  const secondStep = await secondStepNeeded(db, user.id);
  if (secondStep) {
    const challenge = await startChallenge(db, user.id, secondStep, input.next, seen, now);
    return { kind: 'second step', purpose: secondStep, challenge };
  }
  return { kind: 'signed in', ...(await startSession(db, settings, { id: user.id, name: user.name }, seen, now)) };
}

/**
 * Starts a session for someone who has passed every step of signing in, and records it.
 * `how` says what the last step was, for the audit trail.
 */
export async function startSession(
  db: Db,
  settings: SessionSettings,
  user: { id: number; name: string },
  seen: { ip: string; userAgent: string | null; requestId: string },
  now: Date,
  how?: 'code' | 'recovery code',
): Promise<SignedIn> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await insertSession(trx, {
      id: tokenHash(token),
      user_id: user.id,
      csrf_token: newToken(),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + settings.maxHours * 3_600_000).toISOString(),
      ip: seen.ip,
      user_agent: seen.userAgent?.slice(0, 300) ?? null,
    });
    // Throttle windows, half-finished sign-ins and ended sessions are not kept beyond their time.
    const dayAgo = new Date(now.getTime() - minutes(24 * 60)).toISOString();
    await deleteThrottlesBefore(trx, dayAgo);
    await deleteSessionsExpiredBy(trx, now.toISOString());
    await deleteChallengesExpiredBy(trx, now.toISOString());
    await recordAudit(
      trx,
      {
        actor: user.name,
        userId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'signed in',
        ...(how ? { after: { secondStep: how } } : {}),
        requestId: seen.requestId,
      },
      now,
    );
  });
  return { token, userId: user.id };
}

/** A session that has just ended (idle too long, past its lifetime, account disabled): whose it was. */
export interface EndedSession {
  endedFor: number;
}

/** A session as read from the database, with its account and memberships: what the session cache keeps. */
export type SessionRecord = NonNullable<Awaited<ReturnType<typeof findSessionWithMemberships>>>;

/** Sessions resolved from memory for a few seconds (platform/auth/session-cache.ts). */
export type SessionRecords = SessionCache<SessionRecord>;

/** How often the last-seen time of a session in use is written: reading pages does not mean writing. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The person behind a session cookie; for a session that has just ended (idle too long, past its
 * lifetime or disabled), whose it was; null when it is unknown. With a cache, a session read in
 * the last few seconds is not read again; the same checks of idleness and lifetime are made
 * against the clock on every request, and a session that looks ended in memory is read again
 * before it is ended.
 */
export async function resolveSession(
  db: Db,
  settings: SessionSettings,
  token: string,
  now: Date,
  cache?: SessionRecords,
): Promise<ResolvedSession | EndedSession | null> {
  const id = tokenHash(token);
  const cached = cache?.get(id);
  if (cached && isLive(cached, settings, now)) return inUse(db, cached, now, cache);
  if (cached) cache?.forget(id);
  const generation = cache?.generation ?? 0;
  const session = await findSessionWithMemberships(db, id);
  if (!session) return null;
  if (!isLive(session, settings, now)) {
    await deleteSession(db, session.id);
    return { endedFor: session.user_id };
  }
  cache?.set(id, session, generation);
  return inUse(db, session, now, cache);
}

function isLive(session: SessionRecord, settings: SessionSettings, now: Date): boolean {
  const idleSince = now.getTime() - Date.parse(session.last_seen_at);
  return (
    !session.disabled_at && idleSince <= minutes(settings.idleMinutes) && Date.parse(session.expires_at) > now.getTime()
  );
}

/** The session as the request uses it; its last-seen time written when it is over a minute old. */
async function inUse(
  db: Db,
  session: SessionRecord,
  now: Date,
  cache: SessionRecords | undefined,
): Promise<ResolvedSession> {
  if (now.getTime() - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
    await touchSession(db, session.id, now.toISOString());
    cache?.update(session.id, { ...session, last_seen_at: now.toISOString() });
  }
  return {
    sessionId: session.id,
    csrfToken: session.csrf_token,
    actor: {
      userId: session.user_id,
      name: session.name,
      email: session.email,
      isAdmin: session.is_admin === 1,
      memberships: session.memberships,
    },
  };
}

/** How far back each read of the changes looks, behind the latest change seen (transactions commit late). */
const CHANGES_OVERLAP_MS = 30_000;
/** Changes older than this behind the latest are deleted, now and then. */
const CHANGES_KEPT_MS = 10 * 60_000;

export interface SessionChangesWatch {
  stop(): void;
}

/**
 * Reads the changes to sessions, accounts and memberships the database recorded (by any
 * process: this one, another instance, a command) every `intervalMs`, and forgets the cached
 * sessions of the accounts they name. Never per request: one timer per process.
 */
export function watchSessionChanges(
  db: Db,
  cache: SessionRecords,
  options: { intervalMs: number; onError: (error: unknown) => void },
): SessionChangesWatch {
  let latest: string | null = null;
  const seen = new Map<number, string>();
  let reads = 0;
  let failing = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function read(): Promise<void> {
    const since = latest ? new Date(Date.parse(latest) - CHANGES_OVERLAP_MS).toISOString() : '';
    const rows = await listSessionChangesSince(db, since);
    for (const row of rows) {
      if (!seen.has(row.id)) {
        seen.set(row.id, row.changed_at);
        cache.forgetUser(row.user_id);
      }
      if (!latest || row.changed_at > latest) latest = row.changed_at;
    }
    for (const [id, at] of seen) if (at < since) seen.delete(id);
    if (latest && ++reads % 60 === 0) {
      await deleteSessionChangesBefore(db, new Date(Date.parse(latest) - CHANGES_KEPT_MS).toISOString());
    }
  }

  async function tick(): Promise<void> {
    try {
      await read();
      cache.changesRead();
      failing = false;
    } catch (error) {
      cache.changesUnread();
      if (!failing) options.onError(error);
      failing = true;
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), options.intervalMs);
      timer.unref();
    }
  }

  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      cache.changesUnread();
    },
  };
}

export async function endSession(db: Db, sessionId: string, actor: Actor, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionId);
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        entityType: 'user',
        entityId: actor.userId,
        action: 'signed out',
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
}

/** One of the person's sessions, as the account page lists it. */
export interface OwnSession {
  id: string;
  userAgent: string | null;
  ip: string | null;
  lastSeenAt: string;
  isThisDevice: boolean;
}

/** Where the person is signed in: their sessions still in date and not idle too long, this one marked. */
export async function listOwnSessions(
  db: Db,
  settings: SessionSettings,
  actor: Actor,
  currentSessionId: string | null,
  now: Date,
): Promise<OwnSession[]> {
  const activeSince = new Date(now.getTime() - minutes(settings.idleMinutes)).toISOString();
  const rows = await listSessionsOf(db, actor.userId, now.toISOString(), activeSince);
  return rows.map((r) => ({
    id: r.id,
    userAgent: r.user_agent,
    ip: r.ip,
    lastSeenAt: r.last_seen_at,
    isThisDevice: r.id === currentSessionId,
  }));
}

/** Signs the person out of one of their other sessions ("Sign out" beside it on the account page). */
export async function endOwnSession(db: Db, actor: Actor, sessionId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await deleteOwnSession(trx, actor.userId, sessionId))) return;
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        entityType: 'user',
        entityId: actor.userId,
        action: 'signed out another device',
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
}

/** Signs the person out everywhere but this session ("Sign out everywhere else"). */
export async function endOtherSessions(db: Db, actor: Actor, currentSessionId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ended = await deleteSessionsOfUser(trx, actor.userId, currentSessionId);
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        entityType: 'user',
        entityId: actor.userId,
        action: 'signed out everywhere else',
        after: { sessionsEnded: ended },
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
}

/** Ends every session of a user: after a password change or when an account is disabled. */
export async function endAllSessions(db: Db, userId: number): Promise<void> {
  await deleteSessionsOfUser(db, userId);
}

/** Why an API token known to Clasp was refused: said to the script that sent it (401). */
export interface ApiTokenRefused {
  refused: string;
}

export const TOKEN_REVOKED =
  'This API token has been revoked. Create a new one on your account page or with "clasp token create".';
export const TOKEN_EXPIRED =
  'This API token has expired. Create a new one on your account page or with "clasp token create".';

/**
 * The person an API token acts for, as far as the token lets them: only the reviews it is limited
 * to (others are not there, as for someone not a member), an administrator only with the admin
 * scope, and the token itself on the actor for the auth plugin to check each request against.
 * An unknown token gives null; a revoked or expired one says so. API requests carry no cookie, so
 * they need no CSRF token. A token used from another client address than last time is a security
 * event (OWASP ASVS 7.2.2): a token copied off a laptop and used elsewhere shows up.
 */
export async function resolveApiToken(
  db: Db,
  token: string,
  client: { ip: string; userAgent: string | null; requestId: string },
  now: Date,
): Promise<Actor | ApiTokenRefused | null> {
  const row = await findApiTokenOwner(db, tokenHash(token));
  if (!row || row.disabled_at) return null;
  if (row.revoked_at) return { refused: TOKEN_REVOKED };
  if (row.expires_at && Date.parse(row.expires_at) <= now.getTime()) return { refused: TOKEN_EXPIRED };
  const newPlace = row.last_used_ip !== null && row.last_used_ip !== client.ip;
  if (newPlace) {
    await recordSecurityEvent(
      db,
      {
        kind: 'token used from a new place',
        userId: row.user_id,
        email: row.email,
        ...client,
        detail: { token: row.token_name, before: row.last_used_ip },
      },
      now,
    );
  }
  if (
    newPlace ||
    row.last_used_ip === null ||
    !row.last_used_at ||
    now.getTime() - Date.parse(row.last_used_at) > 60_000
  ) {
    await touchApiToken(db, row.id, now.toISOString(), client.ip);
  }
  const scope = broadestScope(row.scopes);
  const limitedTo = await listTokenReviewIds(db, row.id);
  const memberships = await listMemberships(db, row.user_id);
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    isAdmin: row.is_admin === 1 && scope === 'admin',
    memberships: limitedTo.length ? memberships.filter((m) => limitedTo.includes(m.reviewId)) : memberships,
    token: { id: row.id, scope, expiresAt: row.expires_at, reviewIds: limitedTo.length ? limitedTo : null },
  };
}
