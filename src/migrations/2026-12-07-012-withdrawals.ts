/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * A mistaken progress update or evidence item can be withdrawn by whoever posted it until it
 * has been decided on (issue 13, section 3). Nothing is deleted: a withdrawal is a new row
 * naming what it withdraws, who withdrew it, when and why. progress_updates and rating_events
 * cannot be changed, so a withdrawal cannot be a column on them; evidence is withdrawn the
 * same way so that both read alike.
 *
 * - A progress update's withdrawal names the update and, when it carried one, the rating it
 *   proposed (rating_event_id): readers leave that proposal out, so it no longer waits for a
 *   decision. Evidence sent with the update is withdrawn with it, in a row of its own.
 * - Each item is withdrawn once at most (unique indexes; NULLs do not collide).
 * - Rows are never changed or deleted, like rating_events. Writing one changes what the
 *   plan's pages show, so it bumps the review's plan_revision like the other plan tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('withdrawals')
    .addColumn('id', 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('progress_update_id', 'integer', (c) => c.references('progress_updates.id'))
    .addColumn('evidence_item_id', 'integer', (c) => c.references('evidence_items.id'))
    // The rating proposed with a withdrawn progress update, withdrawn with it.
    .addColumn('rating_event_id', 'integer', (c) => c.references('rating_events.id'))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint(
      'withdrawals_one_item',
      sql`(progress_update_id is null) <> (evidence_item_id is null)
        and (rating_event_id is null or progress_update_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('withdrawals_progress_update')
    .on('withdrawals')
    .column('progress_update_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('withdrawals_evidence_item')
    .on('withdrawals')
    .column('evidence_item_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('withdrawals_rating_event')
    .on('withdrawals')
    .column('rating_event_id')
    .unique()
    .execute();
  await db.schema.createIndex('withdrawals_action').on('withdrawals').columns(['action_id', 'id']).execute();
  await db.schema.createIndex('withdrawals_review').on('withdrawals').column('review_id').execute();

  if (pg) {
    await sql
      .raw(
        `create trigger withdrawals_append_only before update or delete on withdrawals
        for each row execute function clasp_refuse_change()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger withdrawals_never_truncated before truncate on withdrawals
        for each statement execute function clasp_refuse_change()`,
      )
      .execute(db);
    await sql
      .raw(
        `create function withdrawals_bump_plan_revision() returns trigger language plpgsql as $$
        begin
          perform clasp_bump_plan_revision(new.review_id);
          return null;
        end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger withdrawals_plan_revision after insert on withdrawals
        for each row execute function withdrawals_bump_plan_revision()`,
      )
      .execute(db);
  } else {
    const refuse = (name: string, event: string, when = '') =>
      sql
        .raw(
          `create trigger ${name} before ${event} on withdrawals ${when}
          begin select raise(abort, 'withdrawals rows cannot be changed'); end`,
        )
        .execute(db);
    await refuse('withdrawals_no_update', 'update');
    await refuse('withdrawals_no_delete', 'delete');
    // INSERT OR REPLACE deletes the row it collides with without firing a delete trigger.
    await refuse('withdrawals_no_replace', 'insert', 'when exists (select 1 from withdrawals where id = new.id)');
    await sql
      .raw(
        `create trigger withdrawals_plan_revision_insert after insert on withdrawals
        begin update reviews set plan_revision = plan_revision + 1 where id = new.review_id; end`,
      )
      .execute(db);
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
