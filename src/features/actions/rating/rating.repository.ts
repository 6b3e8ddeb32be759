import type { Insertable } from 'kysely';
import type { RatingChallengeTable, RatingEventTable } from '../../../platform/db/schema.ts';
import type { Db } from '../../../platform/db/database.ts';
import { locksRows } from '../evidence/evidence.repository.ts';

/* Queries behind an action's ratings: proposals (posted with progress), agreements and challenges. */

export async function insertRatingEvent(db: Db, row: Insertable<RatingEventTable>): Promise<number> {
  const { id } = await db.insertInto('rating_events').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertRatingChallenge(db: Db, row: Insertable<RatingChallengeTable>): Promise<number> {
  const { id } = await db.insertInto('rating_challenges').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Inside a transaction, makes the group's decisions on one action's rating wait for each other
 * until it ends, so that each reads the rating history the one before it left. The lock leaves
 * the action free to be referred to (progress and evidence are still added meanwhile).
 */
export async function lockActionRating(db: Db, actionId: number): Promise<void> {
  if (!locksRows(db)) return;
  await db.selectFrom('actions').select('id').where('id', '=', actionId).forNoKeyUpdate().execute();
}
