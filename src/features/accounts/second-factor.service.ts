import type { Db } from '../../platform/db/database.ts';
import type { Actor } from '../../domain/permissions.ts';
import { recordAudit } from '../../platform/audit.ts';
import { recordSecurityEvent } from '../../platform/security-events.ts';
import { FormInvalid } from '../../platform/form-schema.ts';
import { newToken, tokenHash } from '../../platform/auth/secrets.ts';
import {
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  qrCodeSvg,
  secretForTyping,
  totpAddress,
  totpStep,
} from '../../platform/auth/one-time-codes.ts';
import { findUserById } from './accounts.repository.ts';
import { deleteSessionsOfUser } from './sessions.repository.ts';
import {
  clearSecondFactor,
  confirmPendingSecret,
  countUnusedRecoveryCodes,
  deleteChallenge,
  deleteChallengesOf,
  findChallenge,
  findSecondFactorOf,
  insertChallenge,
  replaceRecoveryCodes,
  setPendingSecret,
  setSecondFactorRequired,
  spendRecoveryCode,
  takeTotpStep,
} from './second-factor.repository.ts';
import { releaseAttempt } from './throttles.repository.ts';
import { reserveAttempts } from './throttling.ts';

/*
 * Two-step verification (OWASP ASVS 2.8, 2.5.x): after the password, a code from an
 * authenticator app or one of ten single-use recovery codes. Optional for each person; an
 * administrator can require it of an account, which then sets it up at its next sign-in.
 */

/** How long someone may take between the password and the code. */
export const CHALLENGE_MINUTES = 10;

/** Wrong codes allowed per account in the window, however many sign-ins they come from. */
export const CODE_LIMITS = { windowMinutes: 15, perAccount: 5 } as const;

export const CODE_WRONG = 'Enter the 6-digit code your authenticator app shows now, or one of your recovery codes';
export const CODE_THROTTLED = `Too many wrong codes. Wait ${CODE_LIMITS.windowMinutes} minutes and sign in again`;
export const SET_UP_CODE_WRONG =
  'Enter the 6-digit code your authenticator app shows now for Clasp. Check the time on your phone is right';

/** Who is where in a sign-in, for the records. */
export interface Seen {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

/** A sign-in waiting for its second step: the cookie's value. */
export async function startChallenge(
  db: Db,
  userId: number,
  purpose: 'code' | 'set-up',
  next: string,
  seen: Seen,
  now: Date,
): Promise<string> {
  const token = newToken();
  if (purpose === 'set-up') {
    const user = await findSecondFactorOf(db, userId);
    if (!user?.totp_pending_secret) await setPendingSecret(db, userId, newTotpSecret());
  }
  await insertChallenge(db, {
    token_hash: tokenHash(token),
    user_id: userId,
    purpose,
    next,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000).toISOString(),
    ip: seen.ip,
    user_agent: seen.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** A challenge in date, of an enabled account, with that account; or null. */
export async function findLiveChallenge(db: Db, token: string | undefined, now: Date) {
  if (!token || !/^[\w-]{20,100}$/.test(token)) return null;
  const challenge = await findChallenge(db, tokenHash(token));
  if (!challenge || Date.parse(challenge.expires_at) <= now.getTime()) return null;
  const user = await findSecondFactorOf(db, challenge.user_id);
  if (!user || user.disabled_at) return null;
  return { challenge, user };
}

export type LiveChallenge = NonNullable<Awaited<ReturnType<typeof findLiveChallenge>>>;

/** What the set-up page shows: the secret as a QR code and as text to type. */
export interface SetUpDetails {
  qrSvg: string;
  secret: string;
}

async function setUpDetailsFor(email: string, secret: string): Promise<SetUpDetails> {
  return { qrSvg: await qrCodeSvg(totpAddress(secret, email)), secret: secretForTyping(secret) };
}

export function challengeSetUpDetails(live: LiveChallenge): Promise<SetUpDetails> | null {
  const secret = live.user.totp_pending_secret;
  return secret ? setUpDetailsFor(live.user.email, secret) : null;
}

/**
 * Checks a code typed at the second step. Each check first reserves an attempt against the
 * account, so codes sent together cannot all be checked; a right code gives its attempt back.
 * Returns how the person got in, or throws the message for the code field.
 */
export async function checkSecondStep(
  db: Db,
  live: LiveChallenge,
  typed: string,
  seen: Seen,
  now: Date,
): Promise<'code' | 'recovery code'> {
  const { user } = live;
  const key = `code:${String(user.id)}`;
  const event = { userId: user.id, email: user.email, ...seen };
  const allowed = await reserveAttempts(
    db,
    [{ key, limit: CODE_LIMITS.perAccount, windowMinutes: CODE_LIMITS.windowMinutes }],
    now,
  );
  if (!allowed) {
    await recordSecurityEvent(db, { ...event, kind: 'second step throttled' }, now);
    throw FormInvalid.of('code', CODE_THROTTLED);
  }
  const how = await acceptCode(db, user.id, user.totp_secret, typed, now);
  if (!how) {
    await recordSecurityEvent(db, { ...event, kind: 'second step failed' }, now);
    throw FormInvalid.of('code', CODE_WRONG);
  }
  await releaseAttempt(db, key);
  if (how === 'recovery code') {
    const left = await countUnusedRecoveryCodes(db, user.id);
    await recordSecurityEvent(db, { ...event, kind: 'recovery code used', detail: { left } }, now);
  }
  return how;
}

/** Accepts a code from the app (once per time step) or an unused recovery code; null if neither. */
async function acceptCode(
  db: Db,
  userId: number,
  secret: string | null,
  typed: string,
  now: Date,
): Promise<'code' | 'recovery code' | null> {
  if (!secret) return null;
  const step = totpStep(secret, typed, now);
  if (step !== null) return (await takeTotpStep(db, userId, step)) ? 'code' : null;
  const recovery = normaliseRecoveryCode(typed);
  if (recovery && (await spendRecoveryCode(db, userId, tokenHash(recovery), now.toISOString()))) {
    return 'recovery code';
  }
  return null;
}

/** Ends a challenge once its sign-in is done; false if another request finished it first. */
export function finishChallenge(db: Db, token: string): Promise<boolean> {
  return deleteChallenge(db, tokenHash(token));
}

/**
 * Confirms a new secret with a code from it, turns two-step verification on and returns the
 * recovery codes to show once. The caller's throttle applies; a wrong code throws for `code`.
 */
async function confirmSecret(
  db: Db,
  user: { id: number; name: string; email: string; totp_pending_secret: string | null },
  typed: string,
  seen: Seen,
  now: Date,
): Promise<string[]> {
  const secret = user.totp_pending_secret;
  const step = secret ? totpStep(secret, typed, now) : null;
  if (!secret || step === null) throw FormInvalid.of('code', SET_UP_CODE_WRONG);
  const codes = newRecoveryCodes();
  const confirmed = await db.transaction().execute(async (trx) => {
    if (!(await confirmPendingSecret(trx, user.id, secret, step, now.toISOString()))) return false;
    await replaceRecoveryCodes(
      trx,
      user.id,
      codes.map((c) => tokenHash(c)),
      now.toISOString(),
    );
    await recordAudit(
      trx,
      {
        actor: user.name,
        userId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'turned on two-step verification',
        requestId: seen.requestId,
      },
      now,
    );
    return true;
  });
  if (!confirmed) throw FormInvalid.of('code', 'This set-up has been replaced by a newer one. Start again');
  await recordSecurityEvent(
    db,
    { kind: 'two-step verification turned on', userId: user.id, email: user.email, ...seen },
    now,
  );
  return codes;
}

/** Set-up during sign-in, for an account that must have it: the code confirms the secret. */
export async function confirmSetUpAtSignIn(db: Db, live: LiveChallenge, typed: string, seen: Seen, now: Date) {
  const key = `code:${String(live.user.id)}`;
  const rule = { key, limit: CODE_LIMITS.perAccount, windowMinutes: CODE_LIMITS.windowMinutes };
  if (!(await reserveAttempts(db, [rule], now))) throw FormInvalid.of('code', CODE_THROTTLED);
  const codes = await confirmSecret(db, live.user, typed, seen, now);
  await releaseAttempt(db, key);
  return codes;
}

/** The account page's view of two-step verification. */
export interface SecondFactorStatus {
  on: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

export async function secondFactorStatus(db: Db, actor: Actor): Promise<SecondFactorStatus> {
  const user = await findSecondFactorOf(db, actor.userId);
  return {
    on: Boolean(user?.totp_enabled_at),
    required: user?.second_factor_required === 1,
    recoveryCodesLeft: user?.totp_enabled_at ? await countUnusedRecoveryCodes(db, actor.userId) : 0,
  };
}

/** The set-up page for a signed-in person: a pending secret is made the first time it is opened. */
export async function ownSetUpDetails(db: Db, actor: Actor): Promise<SetUpDetails | 'already on'> {
  const user = await findSecondFactorOf(db, actor.userId);
  if (!user) throw new Error('The signed-in account no longer exists');
  if (user.totp_enabled_at) return 'already on';
  let secret = user.totp_pending_secret;
  if (!secret) {
    secret = newTotpSecret();
    await setPendingSecret(db, actor.userId, secret);
  }
  return setUpDetailsFor(user.email, secret);
}

/** The signed-in person confirms their new secret; returns their recovery codes. */
export async function confirmOwnSetUp(db: Db, actor: Actor, typed: string, seen: Seen, now: Date) {
  const user = await findSecondFactorOf(db, actor.userId);
  if (!user) throw new Error('The signed-in account no longer exists');
  if (user.totp_enabled_at) throw FormInvalid.of('code', 'Two-step verification is already on for your account');
  const key = `code:${String(user.id)}`;
  const rule = { key, limit: CODE_LIMITS.perAccount, windowMinutes: CODE_LIMITS.windowMinutes };
  if (!(await reserveAttempts(db, [rule], now))) throw FormInvalid.of('code', CODE_THROTTLED);
  const codes = await confirmSecret(db, user, typed, seen, now);
  await releaseAttempt(db, key);
  return codes;
}

/**
 * New recovery codes for the signed-in person, the old ones no longer working. A current code
 * from the app is asked for, so someone at an unlocked screen cannot take the codes away.
 */
export async function renewRecoveryCodes(db: Db, actor: Actor, typed: string, seen: Seen, now: Date) {
  const user = await findSecondFactorOf(db, actor.userId);
  if (!user?.totp_secret) throw FormInvalid.of('code', 'Two-step verification is not on for your account');
  const key = `code:${String(user.id)}`;
  const rule = { key, limit: CODE_LIMITS.perAccount, windowMinutes: CODE_LIMITS.windowMinutes };
  if (!(await reserveAttempts(db, [rule], now))) throw FormInvalid.of('code', CODE_THROTTLED);
  const step = totpStep(user.totp_secret, typed, now);
  if (step === null || !(await takeTotpStep(db, user.id, step))) {
    await recordSecurityEvent(db, { kind: 'second step failed', userId: user.id, email: user.email, ...seen }, now);
    throw FormInvalid.of('code', 'Enter the 6-digit code your authenticator app shows now');
  }
  await releaseAttempt(db, key);
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await replaceRecoveryCodes(
      trx,
      user.id,
      codes.map((c) => tokenHash(c)),
      now.toISOString(),
    );
    await recordAudit(
      trx,
      {
        actor: user.name,
        userId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'made new recovery codes',
        requestId: seen.requestId,
      },
      now,
    );
  });
  return codes;
}

export const REQUIRED_BY_ADMINISTRATOR =
  'Your administrator requires two-step verification for your account, so it cannot be turned off';

/**
 * Turns the signed-in person's two-step verification off, after their password (throttled
 * as the change-password form is). Refused while an administrator requires it.
 */
export async function turnOffOwn(
  db: Db,
  actor: Actor,
  checkPassword: (password: string) => Promise<'right' | 'wrong' | 'throttled'>,
  password: string,
  seen: Seen,
  now: Date,
): Promise<void> {
  const user = await findSecondFactorOf(db, actor.userId);
  if (!user?.totp_enabled_at) return;
  if (user.second_factor_required === 1) throw FormInvalid.of('password', REQUIRED_BY_ADMINISTRATOR);
  const check = await checkPassword(password);
  if (check === 'throttled')
    throw FormInvalid.of('password', 'Too many wrong passwords. Wait 15 minutes and try again');
  if (check === 'wrong') throw FormInvalid.of('password', 'Your password is not right. Enter your current password');
  await db.transaction().execute(async (trx) => {
    await clearSecondFactor(trx, user.id);
    await recordAudit(
      trx,
      {
        actor: user.name,
        userId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'turned off two-step verification',
        requestId: seen.requestId,
      },
      now,
    );
  });
  await recordSecurityEvent(
    db,
    { kind: 'two-step verification turned off', userId: user.id, email: user.email, ...seen },
    now,
  );
}

/**
 * An administrator's change to someone's two-step verification (from the accounts page or the
 * command line), audited and recorded as a security event. Returns whether anything changed.
 */
export async function administerTwoStep(
  db: Db,
  user: { id: number; email: string; totp_enabled_at: string | null; second_factor_required: number },
  change: 'require' | 'stop-requiring' | 'reset',
  by: { actor: string; userId: number | null; requestId: string | null },
  now: Date,
): Promise<boolean> {
  const required = user.second_factor_required === 1;
  const changed = await db.transaction().execute(async (trx) => {
    const audit = (before: object, after: object) =>
      recordAudit(
        trx,
        {
          ...by,
          entityType: 'user',
          entityId: user.id,
          action: 'updated',
          before: { email: user.email, ...before },
          after: { email: user.email, ...after },
        },
        now,
      );
    if (change === 'require' && !required) {
      await setSecondFactorRequired(trx, user.id, true);
      await audit({ twoStepRequired: false }, { twoStepRequired: true });
    } else if (change === 'stop-requiring' && required) {
      await setSecondFactorRequired(trx, user.id, false);
      await audit({ twoStepRequired: true }, { twoStepRequired: false });
    } else if (change === 'reset' && user.totp_enabled_at !== null) {
      // Whoever has the lost phone is signed out, and half-finished sign-ins end.
      await clearSecondFactor(trx, user.id);
      await deleteChallengesOf(trx, user.id);
      await deleteSessionsOfUser(trx, user.id);
      await audit({ twoStep: 'on' }, { twoStep: 'reset' });
    } else {
      return false;
    }
    return true;
  });
  if (changed) {
    await recordSecurityEvent(
      db,
      {
        kind: 'access changed',
        userId: user.id,
        email: user.email,
        detail: { change: `${change === 'reset' ? 'reset' : change}-two-step`, by: by.actor },
        requestId: by.requestId,
      },
      now,
    );
  }
  return changed;
}

/** Whether an account (by id) must pass a second step or set one up, after its password. */
export async function secondStepNeeded(db: Db, userId: number): Promise<'code' | 'set-up' | null> {
  const user = await findUserById(db, userId);
  if (!user) return null;
  if (user.totp_enabled_at) return 'code';
  return user.second_factor_required === 1 ? 'set-up' : null;
}
