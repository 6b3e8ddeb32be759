import type { Insertable } from 'kysely';
import type { ProgressUpdateTable } from '../../../platform/db/schema.ts';
import type { Db } from '../../../platform/db/database.ts';

/* Queries behind posting progress on an action. */

export async function insertProgressUpdate(db: Db, row: Insertable<ProgressUpdateTable>): Promise<number> {
  const { id } = await db.insertInto('progress_updates').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}
