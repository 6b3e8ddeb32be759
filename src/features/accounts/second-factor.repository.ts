import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { SignInChallengeTable } from '../../platform/db/schema.ts';

/* Two-step verification: secrets, recovery codes and half-finished sign-ins. */

export function findSecondFactorOf(db: Db, userId: number) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'name',
      'email',
      'disabled_at',
      'totp_secret',
      'totp_pending_secret',
      'totp_enabled_at',
      'second_factor_required',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function setPendingSecret(db: Db, userId: number, secret: string | null): Promise<void> {
  await db.updateTable('users').set({ totp_pending_secret: secret }).where('id', '=', userId).execute();
}

/**
 * Turns the pending secret into the account's secret, if it is still the one the person was
 * shown (two tabs setting up at once cannot confirm each other's). Returns whether it did.
 */
export async function confirmPendingSecret(
  db: Db,
  userId: number,
  secret: string,
  step: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_secret: secret, totp_pending_secret: null, totp_enabled_at: at, totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_pending_secret', '=', secret)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a code's time step as used, in the statement that checks it is newer than the last
 * one, so the same code sent twice at once is accepted once. Returns whether it was new.
 */
export async function takeTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function clearSecondFactor(db: Db, userId: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret: null, totp_pending_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

export async function setSecondFactorRequired(db: Db, userId: number, required: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ second_factor_required: required ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}

/** Replaces the account's recovery codes with new ones (their hashes). */
export async function replaceRecoveryCodes(db: Db, userId: number, hashes: string[], at: string): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: at, used_at: null })))
    .execute();
}

/** Spends a recovery code in the statement that checks it is unused. Returns whether it was. */
export async function spendRecoveryCode(db: Db, userId: number, hash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertChallenge(db: Db, challenge: Insertable<SignInChallengeTable>): Promise<void> {
  await db.insertInto('sign_in_challenges').values(challenge).execute();
}

export function findChallenge(db: Db, tokenHash: string) {
  return db.selectFrom('sign_in_challenges').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Ends a challenge; returns whether it was still there (so two requests cannot both finish it). */
export async function deleteChallenge(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('sign_in_challenges').where('token_hash', '=', tokenHash).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteChallengesOf(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sign_in_challenges').where('user_id', '=', userId).execute();
}

export async function deleteChallengesExpiredBy(db: Db, at: string): Promise<void> {
  await db.deleteFrom('sign_in_challenges').where('expires_at', '<=', at).execute();
}
