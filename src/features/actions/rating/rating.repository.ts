import type { Insertable } from 'kysely';
import type { RatingChallengeTable, RatingEventTable } from '../../../platform/db/schema.ts';
import type { Db } from '../../../platform/db/database.ts';

/* Queries behind an action's ratings: proposals (posted with progress), agreements and challenges. */

export async function insertRatingEvent(db: Db, row: Insertable<RatingEventTable>): Promise<number> {
  const { id } = await db.insertInto('rating_events').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function insertRatingChallenge(db: Db, row: Insertable<RatingChallengeTable>): Promise<number> {
  const { id } = await db.insertInto('rating_challenges').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}
