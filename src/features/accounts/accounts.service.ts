import path from 'node:path';
import type { Config } from '../../config.ts';
import type { OneTimeTokenPurpose } from '../../platform/db/schema.ts';
import type { Db, Trx } from '../../platform/db/database.ts';
import { broadestScope, scopeCovers, scopesUpTo, type Actor, type TokenScope } from '../../domain/permissions.ts';
import { addDays, dateInEngland, isoFromParts } from '../../domain/dates.ts';
import { recordAudit } from '../../platform/audit.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import { createMailer } from '../../platform/mail.ts';
import { hashPassword, newToken, normaliseEmail, tokenHash, verifyPassword } from '../../platform/auth/secrets.ts';
import {
  emailFormatProblem,
  type ApiTokenCommand,
  type ApiTokenRules,
  type ChangePasswordCommand,
  type ChangePasswordRules,
  type ForgotPasswordCommand,
  type SetPasswordCommand,
} from './accounts.forms.ts';
import {
  findTokenWithUser,
  findUserByEmail,
  findUserById,
  insertApiToken,
  insertTokenReviews,
  listReviewsOfTokens,
  insertOneTimeToken,
  insertUser,
  listApiTokensOf,
  listRolesOf,
  revokeOwnApiToken,
  setPasswordHash,
  spendToken,
  spendUnusedInvites,
  spendUnusedLinks,
  revokeApiTokensOf,
} from './accounts.repository.ts';
import { deleteSessionsOfUser } from './sessions.repository.ts';
import { releaseAttempt } from './throttles.repository.ts';
import { reserveAttempts } from './throttling.ts';
import { passwordProblem } from './password-policy.ts';

/* Other features' forms ask for an account's email address the same way. */
export { emailAddress, emailFormatProblem } from './accounts.forms.ts';

/** How long a single-use link works. */
export const LINK_LIFETIME_MINUTES: Record<OneTimeTokenPurpose, number> = { reset: 60, invite: 7 * 24 * 60 };

/** The address people reach Clasp at, for links in email and printed by the CLI. */
export function publicBase(config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

export function setPasswordLink(config: Config, token: string): string {
  return `${publicBase(config)}/reset-password/${token}`;
}

function mailerFor(config: Config, now: () => Date) {
  return createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outboxDir: path.join(config.dataDir, 'outbox'),
    now,
  });
}

async function createOneTimeToken(db: Db, userId: number, purpose: OneTimeTokenPurpose, now: Date): Promise<string> {
  const token = newToken();
  await insertOneTimeToken(db, {
    token_hash: tokenHash(token),
    user_id: userId,
    purpose,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + LINK_LIFETIME_MINUTES[purpose] * 60_000).toISOString(),
    used_at: null,
  });
  return token;
}

/** A single-use link for a new account to set its first password; works for 7 days. */
export function createInvite(db: Db, userId: number, now: Date): Promise<string> {
  return createOneTimeToken(db, userId, 'invite', now);
}

export async function sendInviteEmail(
  config: Config,
  invite: { email: string; name: string; token: string },
  now: () => Date,
): Promise<void> {
  await mailerFor(config, now).send({
    to: invite.email,
    subject: 'Your Clasp account',
    text: [
      `Dear ${invite.name},`,
      '',
      'An account has been made for you on Clasp, where the action plan after the CQC review of services for ' +
        'children looked after and safeguarding is kept.',
      '',
      'Set your password with this link. It works once, for 7 days:',
      setPasswordLink(config, invite.token),
      '',
      'If you did not expect this email, you can ignore it.',
    ].join('\n'),
  });
}

export interface NewAccount {
  email: string;
  name: string;
  isAdmin?: boolean;
  password?: string;
  /** A password already hashed (the demo hashes its one password once for all its accounts); wins over `password`. */
  passwordHash?: string;
}

/** The account with this email address (give it normalised), if there is one. */
export function findAccountByEmail(db: Db, email: string) {
  return findUserByEmail(db, email);
}

/** Why an account cannot be made with these details, or null. */
export async function newAccountProblem(db: Db, account: NewAccount): Promise<string | null> {
  const email = normaliseEmail(account.email);
  const format = emailFormatProblem(email);
  if (format) return format;
  if (!account.name.trim()) return 'Enter the person’s name';
  if (await findUserByEmail(db, email)) return 'An account with this email address already exists';
  if (account.password !== undefined) return passwordProblem(account.password, { email, name: account.name });
  return null;
}

/**
 * Makes an account (with a password, or none yet) and records who made it, inside the caller's
 * transaction. Returns the new user's id.
 */
export async function createAccount(
  trx: Trx,
  account: NewAccount,
  by: { actor: string; userId?: number | null; requestId?: string | null },
  now: Date,
): Promise<number> {
  const email = normaliseEmail(account.email);
  const id = await insertUser(trx, {
    email,
    name: account.name.trim(),
    password_hash:
      account.passwordHash ?? (account.password === undefined ? null : await hashPassword(account.password)),
    is_admin: account.isAdmin ? 1 : 0,
    created_at: now.toISOString(),
    disabled_at: null,
  });
  await recordAudit(
    trx,
    {
      actor: by.actor,
      userId: by.userId ?? null,
      entityType: 'user',
      entityId: id,
      action: 'created',
      after: { email, name: account.name.trim(), isAdmin: Boolean(account.isAdmin) },
      requestId: by.requestId ?? null,
    },
    now,
  );
  return id;
}

export interface AuditedBy {
  actor: string;
  userId?: number | null;
  requestId?: string | null;
}

/**
 * Makes an account with no password yet and a 7-day invitation to set one, each with its
 * audit event, inside the caller's transaction. The caller sends the email (sendInviteEmail)
 * once the transaction has committed, so no mail goes out for an account that was not made.
 */
export async function createInvitedAccount(
  trx: Trx,
  account: { email: string; name: string; isAdmin?: boolean },
  by: AuditedBy,
  now: Date,
): Promise<{ userId: number; token: string }> {
  const userId = await createAccount(
    trx,
    { email: account.email, name: account.name, isAdmin: account.isAdmin },
    by,
    now,
  );
  const token = await createInvite(trx, userId, now);
  await recordAudit(
    trx,
    {
      actor: by.actor,
      userId: by.userId ?? null,
      entityType: 'user',
      entityId: userId,
      action: 'invited',
      after: { email: normaliseEmail(account.email) },
      requestId: by.requestId ?? null,
    },
    now,
  );
  return { userId, token };
}

/** A new invitation for an account that has not set a password yet; earlier links stop working. */
export async function reinvite(
  trx: Trx,
  user: { id: number; email: string },
  by: AuditedBy,
  now: Date,
): Promise<string> {
  await spendUnusedInvites(trx, user.id, now.toISOString());
  const token = await createInvite(trx, user.id, now);
  await recordAudit(
    trx,
    {
      actor: by.actor,
      userId: by.userId ?? null,
      entityType: 'user',
      entityId: user.id,
      action: 'invited',
      after: { email: user.email },
      requestId: by.requestId ?? null,
    },
    now,
  );
  return token;
}

/** Reset requests allowed per hour, per address asked about and per client address (OWASP ASVS 2.5.x, 11.1.4). */
export const RESET_LIMITS = { windowMinutes: 60, perEmail: 3, perAddress: 20 } as const;

/**
 * A request to reset a password. Within the limits, it returns the work of sending the link, for
 * the caller to run after it has answered: looking the address up, making the link and sending the
 * email all happen then, so the answer takes as long whether or not the address has an account.
 * Over the limits it returns null and nothing is sent; the caller answers the same either way.
 */
export async function requestPasswordReset(
  db: Db,
  config: Config,
  command: ForgotPasswordCommand,
  request: { ip: string; requestId: string; userAgent?: string | null },
  clock: () => Date,
): Promise<(() => Promise<void>) | null> {
  const email = normaliseEmail(command.email);
  const allowed = await reserveAttempts(
    db,
    [
      { key: `reset-ip:${request.ip}`, limit: RESET_LIMITS.perAddress, windowMinutes: RESET_LIMITS.windowMinutes },
      { key: `reset-email:${email}`, limit: RESET_LIMITS.perEmail, windowMinutes: RESET_LIMITS.windowMinutes },
    ],
    clock(),
  );
  // Whether the address has an account is not looked up here, so the answer's timing cannot tell.
  await recordSecurityEvent(
    db,
    { kind: 'password reset requested', email, ...request, detail: allowed ? null : { throttled: true } },
    clock(),
  );
  return allowed ? () => sendResetLink(db, config, email, request.requestId, clock) : null;
}

/** Sends a reset link if the email belongs to an enabled account; otherwise does nothing. */
async function sendResetLink(
  db: Db,
  config: Config,
  email: string,
  requestId: string,
  clock: () => Date,
): Promise<void> {
  const now = clock();
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled_at) return;
  const token = await db.transaction().execute(async (trx) => {
    const t = await createOneTimeToken(trx, user.id, 'reset', now);
    await recordAudit(
      trx,
      {
        actor: user.name,
        userId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'asked to reset the password',
        requestId,
      },
      now,
    );
    return t;
  });
  await mailerFor(config, clock).send({
    to: user.email,
    subject: 'Reset your Clasp password',
    text: [
      `Dear ${user.name},`,
      '',
      'Someone asked to reset the password of your Clasp account. If it was you, ' +
        'set a new password with this link. It works once, for 60 minutes:',
      setPasswordLink(config, token),
      '',
      'If it was not you, you can ignore this email: your password has not changed.',
    ].join('\n'),
  });
}

/** The single-use link's account and purpose, while the link is unused and in date. */
export async function findUsableLink(db: Db, token: string, now: Date) {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const row = await findTokenWithUser(db, tokenHash(token));
  if (!row || row.used_at || row.disabled_at || Date.parse(row.expires_at) <= now.getTime()) return null;
  return row;
}

/** A set-password link that is used, out of date, unknown or of a disabled account. */
export class LinkNotUsable extends Error {
  constructor() {
    super('This link does not work');
  }
}

/**
 * What a new password ends (OWASP ASVS 3.3.3): every session but the one given (the one changing
 * its password, if any), every API token and every set-password link not yet used, so whoever
 * held one of them with the old password holds nothing now. Returns how many of each ended.
 */
async function endEverythingElse(trx: Trx, userId: number, keepSessionId: string | null, now: Date) {
  const nowIso = now.toISOString();
  return {
    sessionsEnded: await deleteSessionsOfUser(trx, userId, keepSessionId),
    apiTokensRevoked: await revokeApiTokensOf(trx, userId, nowIso),
    linksCancelled: await spendUnusedLinks(trx, userId, nowIso),
  };
}

/** Sets the password from a single-use link: the link is spent, and every session, API token and other link ends. */
export async function setPasswordWithLink(
  db: Db,
  token: string,
  command: SetPasswordCommand,
  client: { ip: string; userAgent: string | null; requestId: string },
  now: Date,
): Promise<void> {
  const { requestId } = client;
  const link = await findUsableLink(db, token, now);
  if (!link) throw new LinkNotUsable();
  const hash = await hashPassword(command.password);
  const spent = await db.transaction().execute(async (trx) => {
    // Spent in the same statement that checks it, so two tabs cannot both use one link.
    if (!(await spendToken(trx, link.token_hash, now.toISOString()))) return false;
    await setPasswordHash(trx, link.user_id, hash);
    const ended = await endEverythingElse(trx, link.user_id, null, now);
    await recordAudit(
      trx,
      {
        actor: link.name,
        userId: link.user_id,
        entityType: 'user',
        entityId: link.user_id,
        action: link.purpose === 'invite' ? 'set the first password' : 'reset the password',
        after: ended,
        requestId,
      },
      now,
    );
    return true;
  });
  if (!spent) throw new LinkNotUsable();
  if (link.purpose === 'reset') {
    await recordSecurityEvent(db, { kind: 'password reset', userId: link.user_id, email: link.email, ...client }, now);
  }
}

/** Guesses of the current password on the change-password form, per account (OWASP ASVS 2.2.1). */
export const CURRENT_PASSWORD_LIMITS = { windowMinutes: 15, perAccount: 5 } as const;

/**
 * What the signed-in person's change of password is checked against. Each check of the current
 * password first reserves an attempt, as sign-in does, so someone at an unlocked screen cannot
 * guess the password by sending many changes at once; a right guess gives its attempt back.
 */
export async function changePasswordRules(db: Db, actor: Actor, now: Date): Promise<ChangePasswordRules> {
  const user = await findUserById(db, actor.userId);
  if (!user) throw new Error('The signed-in account no longer exists');
  const key = `password:${String(user.id)}`;
  return {
    email: user.email,
    name: user.name,
    async checkCurrentPassword(password) {
      const rule = {
        key,
        limit: CURRENT_PASSWORD_LIMITS.perAccount,
        windowMinutes: CURRENT_PASSWORD_LIMITS.windowMinutes,
      };
      if (!(await reserveAttempts(db, [rule], now))) return 'throttled';
      if (!(await verifyPassword(user.password_hash, password))) return 'wrong';
      await releaseAttempt(db, key);
      return 'right';
    },
  };
}

/** Changes the signed-in person's own password; their other sessions, API tokens and links end, this session stays. */
export async function changePassword(
  db: Db,
  actor: Actor,
  sessionId: string | null,
  command: ChangePasswordCommand,
  client: { ip: string; userAgent: string | null },
  now: Date,
): Promise<void> {
  const hash = await hashPassword(command.password);
  await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, actor.userId, hash);
    const ended = await endEverythingElse(trx, actor.userId, sessionId, now);
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        entityType: 'user',
        entityId: actor.userId,
        action: 'changed the password',
        after: ended,
        requestId: actor.requestId ?? null,
      },
      now,
    );
  });
  await recordSecurityEvent(
    db,
    { kind: 'password changed', userId: actor.userId, email: actor.email, ...client, requestId: actor.requestId },
    now,
  );
}

/** How long a new token lasts when nobody says, and the longest it may. */
export const TOKEN_DEFAULT_DAYS = 90;

/** The same day a year on (28 February for 29 February). */
function aYearAfter(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return isoFromParts(y + 1, m, d) ?? isoFromParts(y + 1, m, d - 1) ?? date;
}

/** The instant a day ends in England ('YYYY-MM-DD' → the next midnight, Europe/London). */
export function endOfDayInEngland(date: string): string {
  const next = addDays(date, 1);
  const utcMidnight = Date.parse(`${next}T00:00:00Z`);
  // In summer time, midnight in England is an hour before midnight UTC.
  const summer = dateInEngland(new Date(utcMidnight - 3_600_000)) === next;
  return new Date(summer ? utcMidnight - 3_600_000 : utcMidnight).toISOString();
}

/** The last day, in England, that a token expiring at this instant works. */
export function lastDayOf(expiresAt: string): string {
  return dateInEngland(new Date(Date.parse(expiresAt) - 1));
}

/**
 * What a new token of this person may be. Acting through a token, its memberships and
 * administrator status are already the token's, so a token never makes one that reaches
 * further than itself: no broader scope, no later expiry, no review outside its own.
 */
export async function apiTokenRules(db: Db, actor: Actor, now: Date): Promise<ApiTokenRules> {
  const today = dateInEngland(now);
  const member = new Set(actor.memberships.map((m) => m.reviewId));
  const reviews = (await listRolesOf(db, actor.userId))
    .filter((r) => member.has(r.review_id))
    .map((r) => ({ id: r.review_id, area: r.area }))
    .filter((r, i, all) => all.findIndex((o) => o.id === r.id) === i);
  const allowed: TokenScope[] = actor.isAdmin ? ['read', 'write', 'admin'] : ['read', 'write'];
  const scopes = actor.token ? allowed.filter((s) => scopeCovers(actor.token?.scope ?? 'read', s)) : allowed;
  const yearOn = aYearAfter(today);
  const ownLast = actor.token?.expiresAt ? lastDayOf(actor.token.expiresAt) : null;
  const latest = ownLast && ownLast < yearOn ? ownLast : yearOn;
  const inNinetyDays = addDays(today, TOKEN_DEFAULT_DAYS);
  return {
    scopes,
    reviews,
    reviewsWhenNoneTicked: actor.token?.reviewIds ?? null,
    earliest: addDays(today, 1),
    latest,
    latestReason: latest === yearOn ? 'a year' : 'this token',
    defaultExpiry: inNinetyDays < latest ? inNinetyDays : latest,
  };
}

/** A new token: its id, and the secret, which is shown once and never kept (only its hash is). */
export interface NewApiToken {
  id: number;
  token: string;
  expiresAt: string;
}

/**
 * A new read-only API token for every review of its person, lasting 90 days; the secret is
 * returned once. For a token with other scopes, expiry or reviews, see issueApiToken.
 */
export async function createApiToken(
  db: Db,
  owner: { userId: number; actor: string; requestId?: string | null },
  name: string,
  now: Date,
): Promise<string> {
  const expires = addDays(dateInEngland(now), TOKEN_DEFAULT_DAYS);
  return (await issueApiToken(db, owner, { tokenName: name, scope: 'read', expires, reviews: [] }, now)).token;
}

/**
 * A new API token for scripts, from its form's command (checked against apiTokenRules). Acting
 * through a token, the new one never outlives it. Recorded in the audit trail.
 */
export async function issueApiToken(
  db: Db,
  owner: { userId: number; actor: string; requestId?: string | null; token?: Actor['token'] },
  command: ApiTokenCommand,
  now: Date,
): Promise<NewApiToken> {
  const token = `clasp_${newToken()}`;
  let expiresAt = endOfDayInEngland(command.expires);
  const ownExpiry = owner.token?.expiresAt;
  if (ownExpiry && ownExpiry < expiresAt) expiresAt = ownExpiry;
  const name = command.tokenName.trim().slice(0, 100);
  const scopes = scopesUpTo(command.scope).join(' ');
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertApiToken(trx, {
      token_hash: tokenHash(token),
      user_id: owner.userId,
      name,
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
      scopes,
      expires_at: expiresAt,
    });
    await insertTokenReviews(trx, id, command.reviews);
    await recordAudit(
      trx,
      {
        actor: owner.actor,
        userId: owner.userId,
        entityType: 'api_token',
        entityId: id,
        action: 'created',
        after: {
          name,
          scopes,
          expiresAt,
          reviews: command.reviews.length ? command.reviews : 'all',
          ...(owner.token ? { byToken: owner.token.id } : {}),
        },
        requestId: owner.requestId ?? null,
      },
      now,
    );
    return id;
  });
  return { id, token, expiresAt };
}

export async function revokeApiToken(db: Db, actor: Actor, tokenId: number, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await revokeOwnApiToken(trx, actor.userId, tokenId, now.toISOString()))) return false;
    await recordAudit(
      trx,
      {
        actor: actor.name,
        userId: actor.userId,
        entityType: 'api_token',
        entityId: tokenId,
        action: 'revoked',
        ...(actor.token ? { after: { byToken: actor.token.id } } : {}),
        requestId: actor.requestId ?? null,
      },
      now,
    );
    return true;
  });
}

/** One of a person's tokens, never its secret. */
export interface OwnApiToken {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  /** The reviews it is limited to, or null for all the person's reviews. */
  reviews: { id: number; area: string }[] | null;
}

/** A person's tokens that are not revoked (expired ones too), newest first. */
export async function listOwnApiTokens(db: Db, userId: number, now: Date): Promise<OwnApiToken[]> {
  const tokens = await listApiTokensOf(db, userId);
  const reviews = await listReviewsOfTokens(
    db,
    tokens.map((t) => t.id),
  );
  return tokens.map((t) => {
    const limited = reviews.filter((r) => r.token_id === t.id).map((r) => ({ id: r.review_id, area: r.area }));
    return {
      id: t.id,
      name: t.name,
      scope: broadestScope(t.scopes),
      createdAt: t.created_at,
      expiresAt: t.expires_at,
      expired: t.expires_at !== null && Date.parse(t.expires_at) <= now.getTime(),
      lastUsedAt: t.last_used_at,
      lastUsedFrom: t.last_used_ip,
      reviews: limited.length ? limited : null,
    };
  });
}

/** The signed-in person's own account page: details, roles and API tokens. */
export async function getOwnAccount(db: Db, actor: Actor, now: Date) {
  const [roles, tokens] = await Promise.all([listRolesOf(db, actor.userId), listOwnApiTokens(db, actor.userId, now)]);
  return { roles, tokens };
}
