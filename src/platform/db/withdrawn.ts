import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** The columns of `withdrawals` that name what was withdrawn. */
export type WithdrawnItem = 'progress_update_id' | 'evidence_item_id' | 'rating_event_id';

/**
 * True for a progress update, evidence item or rating proposal its author has not withdrawn:
 * `row` is the id column of the row being read, as "e.id" or "progress_updates.id". Withdrawn
 * items stay in the history, so every reader of the plan's current state leaves them out.
 */
export function notWithdrawn(item: WithdrawnItem, row: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`not exists (select 1 from withdrawals w where w.${sql.ref(item)} = ${sql.ref(row)})`;
}
