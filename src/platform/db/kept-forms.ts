import type { Insertable } from 'kysely';
import type { Db } from './database.ts';
import type { KeptFormTable } from './schema.ts';

/* The queries behind forms kept when a session ended (platform/auth/kept-forms.ts). */

/**
 * Keeps a form, replacing the one the same cookie kept before, and forgets expired ones, in one
 * transaction; false (and nothing kept) when `most` forms are kept already.
 */
export async function insertKeptForm(
  db: Db,
  row: Insertable<KeptFormTable>,
  replaces: string | null,
  options: { now: string; most: number },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('kept_forms').where('expires_at', '<=', options.now).execute();
    if (replaces) await trx.deleteFrom('kept_forms').where('token_hash', '=', replaces).execute();
    const { n } = await trx
      .selectFrom('kept_forms')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(n) >= options.most) return false;
    await trx.insertInto('kept_forms').values(row).execute();
    return true;
  });
}

/** A kept form that has not expired. */
export async function findKeptFormRow(db: Db, tokenHash: string, now: string) {
  return db
    .selectFrom('kept_forms')
    .select(['user_id', 'page', 'form'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Makes an unclaimed kept form this person's; false when it was claimed already. */
export async function claimKeptFormRow(db: Db, tokenHash: string, userId: number): Promise<boolean> {
  const claimed = await db
    .updateTable('kept_forms')
    .set({ user_id: userId })
    .where('token_hash', '=', tokenHash)
    .where('user_id', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function deleteKeptFormRow(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('kept_forms').where('token_hash', '=', tokenHash).execute();
}
