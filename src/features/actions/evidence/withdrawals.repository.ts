import type { Insertable } from 'kysely';
import type { Db } from '../../../platform/db/database.ts';
import type { WithdrawalTable } from '../../../platform/db/schema.ts';
import { locksRows } from './evidence.repository.ts';

/* Queries behind withdrawing a progress update or an item of evidence (docs/assurance.md). */

const WITHDRAWAL_COLUMNS = ['id', 'reason', 'user_id', 'actor_name', 'created_at'] as const;

/**
 * Records a withdrawal, unless the item has been withdrawn already (each item once: the
 * unique indexes decide between two people withdrawing at once). Returns its id, or null.
 */
export async function insertWithdrawal(db: Db, row: Insertable<WithdrawalTable>): Promise<number | null> {
  const target =
    row.progress_update_id !== null && row.progress_update_id !== undefined ? 'progress_update_id' : 'evidence_item_id';
  const inserted = await db
    .insertInto('withdrawals')
    .values(row)
    .onConflict((oc) => oc.column(target).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export function findEvidenceWithdrawal(db: Db, evidenceId: number) {
  return db
    .selectFrom('withdrawals')
    .select(WITHDRAWAL_COLUMNS)
    .where('evidence_item_id', '=', evidenceId)
    .executeTakeFirst();
}

export function findProgressWithdrawal(db: Db, progressUpdateId: number) {
  return db
    .selectFrom('withdrawals')
    .select(WITHDRAWAL_COLUMNS)
    .where('progress_update_id', '=', progressUpdateId)
    .executeTakeFirst();
}

export type WithdrawalRow = NonNullable<Awaited<ReturnType<typeof findEvidenceWithdrawal>>>;

/** One progress update of this review, or undefined when the review has no such update. */
export function findProgressUpdate(db: Db, reviewId: number, progressUpdateId: number) {
  return db
    .selectFrom('progress_updates')
    .select([
      'id',
      'review_id',
      'action_id',
      'progress_on',
      'text',
      'author_user_id',
      'author_name',
      'proposed_rating',
      'created_at',
    ])
    .where('review_id', '=', reviewId)
    .where('id', '=', progressUpdateId)
    .executeTakeFirst();
}

export type ProgressUpdateRow = NonNullable<Awaited<ReturnType<typeof findProgressUpdate>>>;

/**
 * The rating proposed with a progress update: postProgress writes it in the same transaction,
 * for the same action, by the same person, at the same instant.
 */
export async function findProposalOf(db: Db, update: ProgressUpdateRow): Promise<number | null> {
  if (!update.proposed_rating || update.author_user_id === null) return null;
  const row = await db
    .selectFrom('rating_events')
    .select('id')
    .where('action_id', '=', update.action_id)
    .where('kind', '=', 'proposed')
    .where('rating', '=', update.proposed_rating)
    .where('user_id', '=', update.author_user_id)
    .where('created_at', '=', update.created_at)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The evidence sent with a progress update, with whether each item has been withdrawn. With
 * `lock`, inside a transaction, nobody can decide on them until it ends.
 */
export async function listEvidenceOfUpdate(db: Db, progressUpdateId: number, options: { lock?: boolean } = {}) {
  const query = db
    .selectFrom('evidence_items as e')
    .leftJoin('withdrawals as w', 'w.evidence_item_id', 'e.id')
    .select(['e.id', 'e.title', 'e.status', 'w.id as withdrawal_id'])
    .where('e.progress_update_id', '=', progressUpdateId)
    .orderBy('e.id');
  return (options.lock && locksRows(db) ? query.forUpdate('e') : query).execute();
}

/**
 * Whether the peer challenge group has recorded a decision on the action's rating (an agreed
 * rating or a challenge) at or after `since`, an instant: a decision made at the same instant
 * is counted, so that nothing the group may have relied on is withdrawn.
 */
export async function hasRatingDecisionSince(db: Db, actionId: number, since: string): Promise<boolean> {
  const [agreed, challenged] = await Promise.all([
    db
      .selectFrom('rating_events')
      .select('id')
      .where('action_id', '=', actionId)
      .where('kind', '=', 'agreed')
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('rating_challenges')
      .select('id')
      .where('action_id', '=', actionId)
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return agreed !== undefined || challenged !== undefined;
}
