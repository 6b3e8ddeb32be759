/* eslint-disable @typescript-eslint/no-explicit-any -- migrations are frozen in time and typed loosely on purpose */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen once landed: add a new dated migration instead of editing this one.

/*
 * Deadlines are agreed, not quietly moved (issue 13, section 2). due_date_changes is the
 * history of an action's due date after it was first agreed: an organisation's proposal of a
 * revised date with its reason, the coordinator's decision on it (a new row naming the
 * proposal, agreed or refused with a reason), and a coordinator's direct change. Rows are never
 * changed or deleted: a decision is a new row, so the table is history like rating_events.
 * Writing a row changes the plan, so it bumps the review's plan_revision like the other plan
 * tables.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('due_date_changes')
    .addColumn('id', 'integer', (c) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('proposed','agreed','refused','set')`))
    // The proposal a decision answers; null for proposals and direct changes.
    .addColumn('proposal_id', 'integer', (c) => c.references('due_date_changes.id'))
    // The agreed due date when the row was written, and the date proposed or set.
    .addColumn('from_date', 'text')
    .addColumn('to_date', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    // 1 for the demo's invented story, as on progress and ratings.
    .addColumn('is_illustrative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('due_date_changes_action').on('due_date_changes').columns(['action_id', 'id']).execute();
  await db.schema.createIndex('due_date_changes_review').on('due_date_changes').columns(['review_id']).execute();

  if (pg) {
    await sql
      .raw(
        `create trigger due_date_changes_append_only before update or delete on due_date_changes
        for each row execute function clasp_refuse_change()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger due_date_changes_never_truncated before truncate on due_date_changes
        for each statement execute function clasp_refuse_change()`,
      )
      .execute(db);
    await sql
      .raw(
        `create function due_date_changes_bump_plan_revision() returns trigger language plpgsql as $$
        begin
          perform clasp_bump_plan_revision(new.review_id);
          return null;
        end $$`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger due_date_changes_plan_revision after insert on due_date_changes
        for each row execute function due_date_changes_bump_plan_revision()`,
      )
      .execute(db);
  } else {
    const refuse = (name: string, event: string, when = '') =>
      sql
        .raw(
          `create trigger ${name} before ${event} on due_date_changes ${when}
          begin select raise(abort, 'due_date_changes rows cannot be changed'); end`,
        )
        .execute(db);
    await refuse('due_date_changes_no_update', 'update');
    await refuse('due_date_changes_no_delete', 'delete');
    // INSERT OR REPLACE deletes the row it collides with without firing a delete trigger.
    await refuse(
      'due_date_changes_no_replace',
      'insert',
      'when exists (select 1 from due_date_changes where id = new.id)',
    );
    await sql
      .raw(
        `create trigger due_date_changes_plan_revision_insert after insert on due_date_changes
        begin update reviews set plan_revision = plan_revision + 1 where id = new.review_id; end`,
      )
      .execute(db);
  }
}

// Kysely's migrator awaits down(), so the refusal comes back as a rejected promise.
export function down(): Promise<void> {
  return Promise.reject(new Error('This migration cannot be undone: restore from a backup instead.'));
}
