import type { Db, Trx } from '../../platform/db/database.ts';
import type { Insertable } from 'kysely';
import type { DueDateChangeTable } from '../../platform/db/schema.ts';

/*
 * What the demo loader looks up before it writes: the demo is loaded once, and its organisations and
 * files once each.
 */

export async function findReviewBySourceKey(db: Db, key: string) {
  return db.selectFrom('reviews').select(['id']).where('source_key', '=', key).executeTakeFirst();
}

/** The organisation with exactly this name, if there is one. */
export async function findOrganisationIdByName(db: Db, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id;
}

/** Stores file content once per SHA-256: the same file added twice takes no more room. */
export async function storeBlob(db: Db, sha256: string, content: Uint8Array, now: string): Promise<void> {
  const existing = await db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
  if (existing) return;
  await db.insertInto('blobs').values({ sha256, size: content.byteLength, content, created_at: now }).execute();
}

/** The illustrative layer's revised due dates, in the order it gives them. */
export async function insertDueDateChanges(trx: Trx, rows: Insertable<DueDateChangeTable>[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('due_date_changes').values(rows).execute();
}
